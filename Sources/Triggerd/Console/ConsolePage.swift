import HTTPTypes
import Hummingbird
import NIOCore

/// One console page: the shared layout (navigation, live indicator, the equivalent `triggerctl` command) around
/// a body that the route rendered, answered with the console's security headers.
struct ConsolePage {
    /// The navigation entries, in order: (path, label).
    static let sections: [(String, String)] = [
        ("/", "Overview"), ("/runs", "Runs"), ("/approvals", "Approvals"), ("/schedules", "Schedules"),
        ("/deliveries", "Deliveries"), ("/workflows", "Workflows"), ("/events", "Events"),
    ]

    /// The Content-Security-Policy of every console answer: nothing inline, nothing from another origin.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    var title: String
    /// The navigation entry to highlight (a path of `sections`).
    var section: String
    /// Already-escaped HTML of the page's main content (after the `<h1>`).
    var body: String
    /// The `triggerctl` command line that shows the same thing (plain text; escaped here).
    var command: String?
    /// Attributes for `console.js` on `<body>` (`data-stream`, ...), values plain text.
    var live: [(String, String)] = []

    /// The CSRF token of the logout form shown in the header, set (by `ConsoleTCPAccessMiddleware`) while a page is
    /// rendered for a `/login` session; nil elsewhere (the socket, bearer tokens, the proxy).
    @TaskLocal static var logoutCSRF: String?

    /// The whole document.
    func render() -> String {
        let nav = Self.sections.map { path, label in
            let current = path == self.section ? " aria-current=\"page\"" : ""
            return "<a href=\"\(path)\"\(current)>\(label)</a>"
        }.joined()
        let attributes = self.live.map { " \($0.0)=\"\(HTML.escape($0.1))\"" }.joined()
        let indicator =
            self.live.isEmpty
            ? "" : "<span id=\"live\" class=\"live\" data-state=\"off\" role=\"status\">static</span>"
        let logout =
            Self.logoutCSRF.map {
                "<form id=\"logout\" method=\"post\" action=\"/logout\" class=\"inline logout\">"
                    + "\(HTML.csrfField($0))<button type=\"submit\">Log out</button></form>"
            } ?? ""
        let footer =
            self.command.map {
                "<footer><p class=\"cli\">In a terminal: <code>\(HTML.escape($0))</code></p></footer>"
            } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>\(HTML.escape(self.title)) · triggerd</title>
            <link rel="stylesheet" href="/console/console.css">
            <script src="/console/console.js" defer></script>
            </head><body\(attributes)>
            <header class="top"><a class="brand" href="/">triggerd</a><nav>\(nav)</nav>\(indicator)\(logout)</header>
            <main><h1>\(HTML.escape(self.title))</h1>
            \(self.body)
            </main>\(footer)
            </body></html>

            """
    }

    /// The page as an answer with `status`.
    func response(status: HTTPResponse.Status = .ok) -> Response {
        Self.response(self.render(), contentType: "text/html; charset=utf-8", status: status)
    }

    /// Any console answer: the body with the console's headers (CSP, no sniffing, no referrer, no caching).
    static func response(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: Self.headers(contentType: contentType),
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    /// The headers of every console answer.
    static func headers(contentType: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[HTTPField.Name("Content-Security-Policy")!] = self.contentSecurityPolicy
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on form posts, which the
        // console proxy could not tell from a cross-site one.
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return headers
    }

    /// `303 See Other` to `location` (post/redirect/get after a form).
    static func redirect(_ location: String) -> Response {
        var headers = self.headers(contentType: "text/plain; charset=utf-8")
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    /// An error page: what went wrong, in words, and a way back. Nothing was changed.
    static func error(_ status: HTTPResponse.Status, message: String) -> Response {
        let body = """
            <section class="error" role="alert"><p class="code">\(status.code) \(HTML.escape(status.reasonPhrase))</p>
            <p>\(HTML.escape(message))</p><p class="muted">Nothing was changed.</p>
            <p><a href="/">Back to the overview</a></p></section>
            """
        return ConsolePage(title: "Error", section: "", body: body).response(status: status)
    }
}
