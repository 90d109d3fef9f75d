import Engine
import Hummingbird
import Logging

/// The one place where failures become HTTP (STYLE §3.6): `EngineError` codes pick the status, Hummingbird's own
/// errors (unknown route, body too large) keep theirs, and every answer has the JSON error shape of SPEC §8.
struct ControlErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as EngineError {
            return .error(Self.status(for: error.code), code: error.code.description, message: error.message)
        } catch let error as HTTPError {
            let message = error.body ?? Self.defaultMessage(for: error.status, request: request, context: context)
            return .error(error.status, code: Self.code(for: error.status), message: message)
        } catch let error as any HTTPResponseError {
            return .error(
                error.status,
                code: Self.code(for: error.status),
                message: Self.defaultMessage(for: error.status, request: request, context: context)
            )
        } catch {
            context.logger.error(
                "Control request failed",
                metadata: ["error": "\(error)", "http.path": "\(request.uri.path)"]
            )
            return .error(
                .internalServerError,
                code: EngineError.Code.internal.description,
                message: "internal error: \(error)"
            )
        }
    }

    /// The HTTP status of an engine refusal.
    static func status(for code: EngineError.Code) -> HTTPResponse.Status {
        switch code {
        case .notFound: .notFound
        case .invalidInput: .badRequest
        case .conflict: .conflict
        case .forbidden: .forbidden
        case .unavailable: .serviceUnavailable
        case .tooBusy: .tooManyRequests
        default: .internalServerError
        }
    }

    /// The error code for a status that did not come from an `EngineError`.
    static func code(for status: HTTPResponse.Status) -> String {
        // Over TCP only: no token, or one that is unknown or revoked.
        if status.code == 401 { return "unauthorized" }
        let code: EngineError.Code =
            switch status.code {
            case 404: .notFound
            case 403: .forbidden
            case 409: .conflict
            case 429: .tooBusy
            case 503: .unavailable
            case 400..<500: .invalidInput
            default: .internal
            }
        return code.description
    }

    private static func defaultMessage(for status: HTTPResponse.Status, request: Request, context: Context) -> String {
        switch status.code {
        case 404 where request.uri.path.hasPrefix("/v1/"): "no such endpoint: \(request.method) \(request.uri.path)"
        case 404: "no such endpoint: \(request.method) \(request.uri.path) (the control API is under /v1/)"
        case 413: "request body is larger than \(context.maxUploadSize) bytes"
        default: status.reasonPhrase
        }
    }
}
