import Engine
import Foundation

/// The body of `/runs/{id}`: summary, actions, pending approvals, the graph, the steps table with each step's
/// output or error, the input and output, and the decisions recorded.
struct RunDetailView {
    let run: RunRecord
    /// The run's pending approvals.
    let approvals: [PendingApproval]
    let csrf: String
    /// Item counts of the run's `for_each` steps (`ControlPlane.itemProgress`).
    var progress: [String: ItemProgress] = [:]

    func render() -> String {
        let run = self.run
        var html = "<section class=\"summary\"><dl>"
        html += "<dt>Status</dt><dd id=\"run-status\" data-status=\"\(run.status.rawValue)\">\(HTML.badge(run.status.rawValue))</dd>"
        html += "<dt>Workflow</dt><dd><a href=\"/workflows/\(HTML.segment(run.workflow))\">\(HTML.escape(run.workflow))</a></dd>"
        html += "<dt>Version</dt><dd><code>\(HTML.escape(String(run.version.prefix(19))))</code></dd>"
        html += "<dt>Trigger</dt><dd>\(HTML.escape(Self.describe(trigger: run.trigger)))</dd>"
        html += "<dt>Created</dt><dd>\(HTML.time(run.createdAt))</dd>"
        html += "<dt>Started</dt><dd>\(HTML.time(run.startedAt))</dd>"
        html += "<dt>Ended</dt><dd>\(HTML.time(run.endedAt))</dd>"
        html += "<dt>Duration</dt><dd>\(HTML.duration(from: run.startedAt, to: run.endedAt))</dd>"
        html += "</dl>"
        if let error = run.error { html += "<p class=\"error-text\">\(HTML.escape(error))</p>" }
        html += self.actions() + "</section>"
        if !self.approvals.isEmpty {
            html += "<section><h2>Waiting for approval</h2>"
            html += self.approvals.map { ApprovalCard(approval: $0, csrf: self.csrf, back: "run").render() }.joined()
            html += "</section>"
        }
        html += "<section><h2>Graph</h2>\(RunGraphView(steps: run.steps, progress: self.progress).render())</section>"
        html += "<section><h2>Steps</h2>\(self.stepsTable())</section>"
        html += "<section class=\"io\"><div><h2>Input</h2>\(HTML.json(run.input))</div>"
        html += "<div><h2>Output</h2>\(HTML.json(run.output))</div></section>"
        if !run.decisions.isEmpty {
            html += "<section><h2>Decisions</h2><ul class=\"decisions\">"
            for decision in run.decisions {
                let verb = decision.approved ? "approved" : "rejected"
                html += "<li><span class=\"badge \(decision.approved ? "s-completed" : "s-failed")\">\(verb)</span> "
                html += "<code>\(HTML.escape(decision.stepID))</code> by <strong>\(HTML.escape(decision.user))</strong>"
                html += " (uid \(decision.uid)) at \(HTML.time(decision.at))"
                if let comment = decision.comment { html += ": “\(HTML.escape(comment))”" }
                html += "</li>"
            }
            html += "</ul></section>"
        }
        return html
    }

    /// Cancel while the run is active; retry once it failed or was cancelled.
    private func actions() -> String {
        let path = "/runs/\(HTML.segment(self.run.id))"
        var forms = ""
        if !self.run.status.isTerminal {
            forms += """
                <form method="post" action="\(path)/cancel" class="inline">\(HTML.csrfField(self.csrf))\
                <button type="submit" class="danger">Cancel run</button></form>
                """
        }
        if self.run.status == .failed || self.run.status == .cancelled {
            forms += """
                <form method="post" action="\(path)/retry" class="inline">\(HTML.csrfField(self.csrf))\
                <button type="submit">Retry from the failed step</button></form>
                """
        }
        return forms.isEmpty ? "" : "<div class=\"actions\">\(forms)</div>"
    }

    /// `table#steps`: one row per step (`tr[data-step][data-status]`), output and error folded under it.
    private func stepsTable() -> String {
        let rows = self.run.steps.map { step -> String in
            let id = HTML.escape(step.id)
            var detail = ""
            if let error = step.error { detail += "<p class=\"error-text\">\(HTML.escape(error))</p>" }
            if let output = step.output {
                detail += "<details><summary>Output</summary>\(HTML.json(output))</details>"
            }
            var forEach = ""
            if step.type == "for_each" {
                forEach = " data-for-each"
                if let progress = self.progress[step.id] {
                    detail += """
                        <p class="muted items">items <progress max="\(max(progress.total, 1))" value="\(progress.done)"></progress> \
                        <span data-progress>\(HTML.escape(progress.text))</span></p>
                        """
                } else if let items = step.output?.arrayValue {
                    detail += "<p class=\"muted\">\(items.count) items</p>"
                }
            }
            let needs = step.needs.isEmpty ? "" : step.needs.map(HTML.escape).joined(separator: ", ")
            return """
                <tr id="step-\(id)" data-step="\(id)" data-status="\(step.status.rawValue)"\(forEach)>\
                <td><code>\(id)</code></td><td>\(HTML.escape(step.type))</td><td>\(HTML.badge(step.status.rawValue))</td>\
                <td class="num">\(step.attempts)</td><td>\(HTML.time(step.startedAt))</td>\
                <td class="num" data-duration>\(HTML.duration(from: step.startedAt, to: step.endedAt))</td>\
                <td class="muted">\(needs)</td><td class="detail">\(detail)</td></tr>
                """
        }.joined(separator: "\n")
        return """
            <div class="scroll"><table id="steps"><thead><tr><th>Step</th><th>Type</th><th>Status</th>\
            <th class="num">Attempts</th><th>Started (UTC)</th><th class="num">Duration</th><th>Needs</th>\
            <th>Output / error</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    /// `manual`, `cron 0 9 * * * (scheduled 2027-...)`, `webhook /hooks/x`, `event order.paid`, `retry of r1`.
    static func describe(trigger: JSONValue) -> String {
        let type = trigger["type"]?.stringValue ?? "unknown"
        let detail =
            trigger["scheduled_at"]?.stringValue.map { "scheduled \($0)" }
            ?? trigger["path"]?.stringValue ?? trigger["name"]?.stringValue
            ?? trigger["retry_of"]?.stringValue.map { "of \($0)" }
            ?? trigger["replay_of"]?.stringValue.map { "replay of \($0)" }
        return detail.map { "\(type) \($0)" } ?? type
    }
}
