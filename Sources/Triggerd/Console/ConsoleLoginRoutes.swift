import Engine
import Foundation
import Hummingbird

/// `/login` and `/logout` of the TCP listener: a token exchanged for a server-side session whose id is an
/// `HttpOnly; SameSite=Strict` cookie. The token itself never goes into the cookie.
struct ConsoleLoginRoutes: Sendable {
    let plane: any ControlPlane
    let sessions: ConsoleSessions

    func add(to router: Router<ControlRequestContext>) {
        router.get("/login") { _, _ in Self.page(message: nil, status: .ok) }
        router.post("/login") { request, _ in
            try Self.checkSameOrigin(request)
            let form = try await ConsoleForm.read(request)
            guard let secret = form["token"]?.trimmingCharacters(in: .whitespacesAndNewlines),
                try await self.plane.token(secret: secret) != nil
            else {
                return Self.page(message: "Unknown or revoked token.", status: .unauthorized)
            }
            let id = await self.sessions.open(secret: secret)
            var response = ConsolePage.redirect("/")
            response.headers[.setCookie] = ConsoleSessions.cookie(id)
            return response
        }
        router.post("/logout") { request, _ in
            try Self.checkSameOrigin(request)
            if let id = ConsoleSessions.id(inCookieHeader: request.headers[.cookie]) { await self.sessions.close(id) }
            var response = ConsolePage.redirect("/login")
            response.headers[.setCookie] = ConsoleSessions.cookie("", maxAge: 0)
            return response
        }
    }

    /// Login CSRF: a browser's POST names its origin; one from another site is refused.
    static func checkSameOrigin(_ request: Request) throws {
        guard let origin = request.headers[.origin] else { return }
        let host = request.head.authority ?? ""
        guard origin == "http://\(host)" || origin == "https://\(host)" else {
            throw EngineError(.forbidden, "a form from \(origin) may not post to this console")
        }
    }

    static func page(message: String?, status: HTTPResponse.Status) -> Response {
        let notice = message.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? ""
        let body = """
            \(notice)<form id="login" method="post" action="/login">
            <p><label>Token <input type="password" name="token" autocomplete="off" required></label></p>
            <p><button type="submit">Log in</button></p></form>
            <p class="muted">Ask an admin for a token: <code>triggerctl token create NAME --role viewer</code>.</p>
            """
        return ConsolePage(title: "Log in", section: "", body: body).response(status: status)
    }
}
