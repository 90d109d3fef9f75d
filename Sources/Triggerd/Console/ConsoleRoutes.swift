import Engine
import Foundation
import Hummingbird

/// The web console of SPEC §11 on the control socket: HTML pages rendered here from `ControlPlane` calls (the
/// same calls the API makes), forms that POST back with a CSRF token, and the two static assets.
///
/// Identity is the socket peer's, exactly as for the API: a decision made in a browser through
/// `triggerctl console` is recorded as the Unix user who ran it.
struct ConsoleRoutes: Sendable {
    let plane: any ControlPlane
    let csrf: ConsoleCSRF

    /// Registers every page, form target and asset on `router`.
    func add(to router: Router<ControlRequestContext>) {
        router.get("/console/console.css") { _, _ in
            ConsolePage.response(ConsoleStylesheet.text, contentType: "text/css; charset=utf-8")
        }
        router.get("/console/console.js") { _, _ in
            ConsolePage.response(ConsoleScript.text, contentType: "text/javascript; charset=utf-8")
        }
        router.get("/console/stream") { request, _ in try await self.stream(request) }
        router.get("/") { request, context in try await self.overview(request, context) }
        self.addRunPages(to: router)
        self.addApprovalPages(to: router)
        self.addSchedulePages(to: router)
        self.addDeliveryPages(to: router)
        self.addWorkflowPages(to: router)
        self.addEventPages(to: router)
    }

    /// The peer `PeerAccessMiddleware` identified.
    static func peer(_ context: ControlRequestContext) throws -> PeerIdentity {
        guard let peer = context.peer else {
            throw EngineError(.internal, "the peer of this request was not identified")
        }
        return peer
    }

    /// The CSRF token for the requester's forms.
    func csrfToken(_ context: ControlRequestContext) throws -> String {
        let identity = try context.csrfIdentity ?? ConsoleCSRF.identity(of: Self.peer(context))
        return self.csrf.token(for: identity)
    }

    /// The submitted form, after checking its CSRF token: a missing or forged token is a 403 before anything is
    /// asked of the plane.
    func checkedForm(_ request: Request, _ context: ControlRequestContext) async throws -> (ConsoleForm, PeerIdentity) {
        let peer = try Self.peer(context)
        let form = try await ConsoleForm.read(request)
        let identity = context.csrfIdentity ?? ConsoleCSRF.identity(of: peer)
        guard self.csrf.isValid(form.fields["csrf"], for: identity) else {
            throw EngineError(
                .forbidden,
                "this form's CSRF token is missing or not valid (the daemon may have restarted); reload the page and try again"
            )
        }
        return (form, peer)
    }

    /// A query parameter, or nil when absent or blank.
    static func query(_ name: String, _ request: Request) -> String? {
        guard let value = request.uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    /// A short notice shown at the top of a page after a form succeeded (`?done=...`); only known words are shown.
    static func notice(_ request: Request) -> String {
        let messages = [
            "cancelled": "Cancel requested.", "approved": "Approval recorded.", "rejected": "Rejection recorded.",
            "started": "Run started.", "retried": "Retry started.", "emitted": "Event emitted.",
            "replayed": "Delivery replayed as a new run.",
        ]
        guard let done = self.query("done", request), let message = messages[done] else { return "" }
        return "<p class=\"notice\" role=\"status\">\(HTML.escape(message))</p>"
    }
}
