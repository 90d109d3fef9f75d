import Engine
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Who is asking over the console's TCP listener, and whether their role allows the request, before any route
/// runs (SPEC §11). Identities: `Authorization: Bearer TOKEN`, the session cookie of `/login`, or (with
/// `auth: proxy`) the proxy's user header from an allow-listed peer address. The requester is recorded as the
/// token's name (or the proxy's user) with uid -1, since there is no Unix user behind it.
struct ConsoleTCPAccessMiddleware: RouterMiddleware {
    typealias Context = ControlRequestContext

    let plane: any ControlPlane
    let settings: ConsoleListenerConfiguration
    let sessions: ConsoleSessions
    /// The console's CSRF key, for the logout form on session pages.
    let csrf: ConsoleCSRF
    /// The peer's IP address (the channel's remote address in the daemon; replaceable in tests).
    let peerAddress: @Sendable (any Channel) -> String?

    /// Who a request was accepted from.
    struct Requester {
        var name: String
        var role: ConsoleToken.Role
        var csrfIdentity: String
        /// The `/login` session the request came with, if any (its pages offer a logout form).
        var session: String? = nil
    }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        if Self.publicPaths.contains(path) { return try await next(request, context) }
        guard let requester = try await self.requester(of: request, context) else {
            // A person opening a page is sent to the login form; scripts get a 401.
            if self.settings.auth == .tokens, request.method == .get, !path.hasPrefix("/v1/"),
                request.headers[.accept]?.contains("text/html") ?? false
            {
                return ConsolePage.redirect("/login")
            }
            throw HTTPError(
                .unauthorized,
                message: self.settings.auth == .tokens
                    ? "no token: send 'Authorization: Bearer TOKEN' (triggerctl token create) or log in at /login"
                    : "no user: the proxy did not send \(self.settings.proxyHeader)"
            )
        }
        let needed = Self.requiredRole(method: request.method, path: path)
        guard requester.role >= needed else {
            context.logger.notice(
                "Console request refused: role too low",
                metadata: ["user": "\(requester.name)", "role": "\(requester.role.rawValue)", "http.path": "\(path)"]
            )
            throw EngineError(
                .forbidden,
                "\(requester.name) has the \(requester.role.rawValue) role; \(request.method) \(path) needs \(needed.rawValue)"
            )
        }
        var context = context
        context.peer = PeerIdentity(uid: -1, user: requester.name, groups: [])
        context.role = requester.role
        context.csrfIdentity = requester.csrfIdentity
        guard let session = requester.session else { return try await next(request, context) }
        return try await ConsolePage.$logoutCSRF.withValue(
            self.csrf.token(for: ConsoleLoginRoutes.csrfIdentity(session: session))
        ) {
            try await next(request, context)
        }
    }

    /// Paths served without an identity: the login form and the two static assets.
    static let publicPaths: Set<String> = ["/login", "/logout", "/console/console.css", "/console/console.js"]

    /// The least role `method path` needs: reading is for viewers; reloading, backups and tokens (even listing
    /// them) for admins; every other change (runs, cancel, retry, emit, approve, reject, replay) for operators.
    static func requiredRole(method: HTTPRequest.Method, path: String) -> ConsoleToken.Role {
        if path == "/v1/tokens" || path.hasPrefix("/v1/tokens/") { return .admin }
        if method == .get || method == .head { return .viewer }
        if path == "/v1/reload" || path == "/v1/backup" { return .admin }
        return .operator
    }

    /// The requester, nil when the request names none; throws 401 for an unknown token and 403 for a proxy header
    /// from a peer that is not the proxy.
    private func requester(of request: Request, _ context: Context) async throws -> Requester? {
        switch self.settings.auth {
        case .proxy:
            let address = self.peerAddress(context.channel).map(Self.normalized)
            guard let address, self.settings.proxyFrom.map(Self.normalized).contains(address) else {
                throw EngineError(
                    .forbidden,
                    "this console accepts requests only through its proxy (\(address ?? "an unknown address") is not in console.proxy.from)"
                )
            }
            guard let name = HTTPField.Name(self.settings.proxyHeader), let user = request.headers[name],
                !user.trimmingCharacters(in: .whitespaces).isEmpty
            else { return nil }
            return Requester(name: user, role: self.settings.proxyRole, csrfIdentity: "proxy:\(user)")
        case .tokens:
            if let authorization = request.headers[.authorization] {
                let parts = authorization.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                    throw HTTPError(.unauthorized, message: "the Authorization header must be 'Bearer TOKEN'")
                }
                guard let token = try await self.plane.token(secret: String(parts[1])) else {
                    throw HTTPError(.unauthorized, message: "unknown or revoked token")
                }
                return Requester(name: token.name, role: token.role, csrfIdentity: "token:\(token.name)")
            }
            guard let id = ConsoleSessions.id(inCookieHeader: request.headers[.cookie]) else { return nil }
            guard let secret = await self.sessions.secret(of: id), let token = try await self.plane.token(secret: secret)
            else {
                await self.sessions.close(id)
                return nil
            }
            return Requester(
                name: token.name, role: token.role, csrfIdentity: ConsoleLoginRoutes.csrfIdentity(session: id),
                session: id)
        }
    }

    /// An address as compared with `proxy.from`: an IPv4-mapped IPv6 address as its IPv4 form.
    static func normalized(_ address: String) -> String {
        address.lowercased().hasPrefix("::ffff:") && address.contains(".") ? String(address.dropFirst(7)) : address
    }
}
