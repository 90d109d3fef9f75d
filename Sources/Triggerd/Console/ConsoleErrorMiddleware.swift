import Engine
import Hummingbird
import Logging

/// Turns failures of console requests (paths outside `/v1/` asked for by a browser, whose `Accept` names
/// `text/html`) into an HTML error page with the status the API would use. API requests, and scripts that do not
/// ask for HTML, pass through to `ControlErrorMiddleware` and keep the JSON errors of SPEC §8.
struct ConsoleErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let wantsHTML = request.headers[.accept]?.contains("text/html") ?? false
        if request.uri.path.hasPrefix("/v1/") || request.uri.path == "/v1" || !wantsHTML {
            return try await next(request, context)
        }
        do {
            return try await next(request, context)
        } catch let error as EngineError {
            return ConsolePage.error(ControlErrorMiddleware<Context>.status(for: error.code), message: error.message)
        } catch let error as HTTPError {
            let message = error.body ?? Self.message(for: error.status, request)
            return ConsolePage.error(error.status, message: message)
        } catch let error as any HTTPResponseError {
            return ConsolePage.error(error.status, message: Self.message(for: error.status, request))
        } catch {
            context.logger.error(
                "Console request failed",
                metadata: ["error": "\(error)", "http.path": "\(request.uri.path)"]
            )
            return ConsolePage.error(.internalServerError, message: "internal error: \(error)")
        }
    }

    private static func message(for status: HTTPResponse.Status, _ request: Request) -> String {
        switch status.code {
        case 404: "There is no page at \(request.uri.path)."
        case 405: "\(request.method) is not allowed on \(request.uri.path)."
        case 413: "The form is larger than \(ConsoleForm.maxBytes) bytes."
        default: status.reasonPhrase
        }
    }
}
