import Engine
import Foundation
import Hummingbird

/// `/login` and `/logout` of the TCP listener: a token exchanged for a server-side session whose id is an
/// `HttpOnly; SameSite=Strict` cookie. The token itself never goes into the cookie. With `auth: proxy` there is
/// nothing to log in to: `/login` says so and takes no token.
struct ConsoleLoginRoutes: Sendable {
    let plane: any ControlPlane
    let sessions: ConsoleSessions
    /// The forms' CSRF tokens (the same key as the console's other forms); `/logout` needs one.
    let csrf: ConsoleCSRF
    var auth: ConsoleListenerConfiguration.Auth = .tokens

    func add(to router: Router<ControlRequestContext>) {
        router.get("/login") { _, _ in
            self.auth == .proxy ? Self.proxyPage() : Self.page(message: nil, status: .ok)
        }
        router.post("/login") { request, _ in
            try Self.checkSameOrigin(request)
            guard self.auth == .tokens else {
                throw EngineError(.invalidInput, "this console takes no tokens: access comes through its proxy")
            }
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
        // A page with the logout form, for a link to point at (the form itself needs the session's CSRF token).
        router.get("/logout") { request, _ in
            guard let id = ConsoleSessions.id(inCookieHeader: request.headers[.cookie]),
                await self.sessions.secret(of: id) != nil
            else { return ConsolePage.redirect("/login") }
            let body = "<p>End this session? The token stays valid; log in again with it.</p>\(self.logoutForm(session: id))"
            return ConsolePage(title: "Log out", section: "", body: body).response()
        }
        // Logging out is a change like any other: it needs the session's CSRF token, not only a same-site Origin
        // (a cross-site form could otherwise end someone's session).
        router.post("/logout") { request, _ in
            try Self.checkSameOrigin(request)
            if let id = ConsoleSessions.id(inCookieHeader: request.headers[.cookie]) {
                let form = try await ConsoleForm.read(request)
                guard self.csrf.isValid(form.fields["csrf"], for: Self.csrfIdentity(session: id)) else {
                    throw EngineError(
                        .forbidden,
                        "this form's CSRF token is missing or not valid (the daemon may have restarted); reload the page and try again"
                    )
                }
                await self.sessions.close(id)
            }
            var response = ConsolePage.redirect("/login")
            response.headers[.setCookie] = ConsoleSessions.cookie("", maxAge: 0)
            return response
        }
    }

    /// The CSRF identity of a session's forms (`ConsoleTCPAccessMiddleware` sets the same for its requests).
    static func csrfIdentity(session id: String) -> String { "session:\(id)" }

    /// `form#logout`: a POST to `/logout` with the session's CSRF token.
    func logoutForm(session id: String) -> String {
        """
        <form id="logout" method="post" action="/logout" class="inline">\
        \(HTML.csrfField(self.csrf.token(for: Self.csrfIdentity(session: id))))\
        <button type="submit">Log out</button></form>
        """
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

    /// `auth: proxy`: no token form, since the proxy in front says who is asking.
    static func proxyPage() -> Response {
        let body = """
            <p id="proxy-login">This console does not take tokens: access comes through the proxy in front of it, \
            which signs you in and tells the console who you are. Open the console through that proxy's address.</p>
            """
        return ConsolePage(title: "Log in", section: "", body: body).response()
    }
}
