import Engine
import Foundation
import Hummingbird

extension ConsoleRoutes {
    func addApprovalPages(to router: Router<ControlRequestContext>) {
        router.get("/approvals") { request, context in
            let seq = try await self.plane.latestEventSeq()
            let approvals = try await self.plane.approvals()
            let token = try self.csrfToken(context)
            var body = Self.notice(request)
            if approvals.isEmpty {
                body += "<p class=\"empty\">Nothing is waiting for a decision.</p>"
            } else {
                body += approvals.map { ApprovalCard(approval: $0, csrf: token).render() }.joined(separator: "\n")
            }
            return ConsolePage(
                title: "Approvals",
                section: "/approvals",
                body: body,
                command: "triggerctl approvals",
                live: [("data-stream", "/console/stream?after=\(seq)"), ("data-approvals", "1")]
            ).response()
        }
        // The decision form: `decision=approve|reject`, `comment`; the decider is the socket peer, as for
        // `triggerctl approve` (the plane checks the step's approvers).
        router.post("/runs/{id}/steps/{step}/decide") { request, context in
            let (form, peer) = try await self.checkedForm(request, context)
            let runID = try ControlRoutes.pathParameter("id", context)
            let stepID = try ControlRoutes.pathParameter("step", context)
            let approve: Bool
            switch form["decision"] {
            case "approve": approve = true
            case "reject": approve = false
            case let other:
                throw EngineError(
                    .invalidInput,
                    "decision must be 'approve' or 'reject', got \(other.map { "'\($0)'" } ?? "nothing")"
                )
            }
            _ = try await self.plane.decide(
                runID: runID,
                stepID: stepID,
                approve: approve,
                comment: form["comment"],
                by: peer
            )
            let back = form["back"] == "run" ? "/runs/\(HTML.segment(runID))" : "/approvals"
            return ConsolePage.redirect("\(back)?done=\(approve ? "approved" : "rejected")")
        }
    }
}
