import Engine
import Foundation

/// One pending approval with its quorum progress and the decision form
/// `form[data-approve="RUN/STEP"]` (a `comment` field, two `decision` buttons).
struct ApprovalCard {
    let approval: PendingApproval
    let csrf: String
    /// `run` when the form sits on the run's page, so the decision leads back there.
    var back: String? = nil

    func render() -> String {
        let a = self.approval
        let key = HTML.escape("\(a.runID)/\(a.stepID)")
        let done = a.approvedBy.count
        let who = a.approvedBy.isEmpty ? "" : " (\(a.approvedBy.map(HTML.escape).joined(separator: ", ")))"
        let approvers =
            a.approvers.isEmpty ? "anyone allowed on the control socket" : a.approvers.map(HTML.escape).joined(separator: ", ")
        let action = "/runs/\(HTML.segment(a.runID))/steps/\(HTML.segment(a.stepID))/decide"
        let deadline = a.deadline.map { "<dt>Deadline</dt><dd>\(HTML.time($0))</dd>" } ?? ""
        return """
            <article class="approval" data-approval="\(key)">
            <h3><a href="/workflows/\(HTML.segment(a.workflow))">\(HTML.escape(a.workflow))</a> · \
            run <a href="/runs/\(HTML.segment(a.runID))"><code>\(HTML.escape(a.runID))</code></a> · \
            step <code>\(HTML.escape(a.stepID))</code></h3>
            \(a.message.map { "<p class=\"message\">\(HTML.escape($0))</p>" } ?? "")
            <dl><dt>Waiting since</dt><dd>\(HTML.time(a.since))</dd>\(deadline)<dt>Approvers</dt><dd>\(approvers)</dd>
            <dt>Quorum</dt><dd><progress max="\(a.required)" value="\(min(done, a.required))"></progress> \
            \(done) of \(a.required) approval\(a.required == 1 ? "" : "s")\(who)</dd></dl>
            <form method="post" action="\(action)" data-approve="\(key)">\(HTML.csrfField(self.csrf))\
            \(self.back.map { "<input type=\"hidden\" name=\"back\" value=\"\(HTML.escape($0))\">" } ?? "")
            <label>Comment <input type="text" name="comment" maxlength="2000" placeholder="optional"></label>
            <button type="submit" name="decision" value="approve" class="approve">Approve</button>
            <button type="submit" name="decision" value="reject" class="danger">Reject</button>
            </form></article>
            """
    }
}
