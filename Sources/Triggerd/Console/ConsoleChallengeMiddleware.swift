import Hummingbird

/// Adds the challenge HTTP requires on every 401 of the console's TCP listener (RFC 9110 §11.6.1):
/// `WWW-Authenticate: Bearer realm="triggerd console"`, the scheme scripts answer with `Authorization: Bearer`.
/// Outermost, so it sees the answers the error middlewares made from thrown errors too.
struct ConsoleChallengeMiddleware<Context: RequestContext>: RouterMiddleware {
    static var challenge: String { #"Bearer realm="triggerd console""# }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        if response.status == .unauthorized, response.headers[.wwwAuthenticate] == nil {
            response.headers[.wwwAuthenticate] = Self.challenge
        }
        return response
    }
}
