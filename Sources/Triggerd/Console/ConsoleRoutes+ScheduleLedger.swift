import Engine
import Foundation
import Hummingbird

extension ConsoleRoutes {
    /// `/schedules/{workflow}/{trigger}?before=&limit=`: one cron trigger's fire ledger, newest slot first, each slot
    /// with its outcome, run, lateness and the reason (`table#ledger`, `tr[data-slot][data-outcome]`); keyset pages
    /// by `before` (the last slot of the page).
    func ledgerPage(_ request: Request, _ context: ControlRequestContext) async throws -> Response {
        let workflow = try ControlRoutes.pathParameter("workflow", context)
        let trigger = try ControlRoutes.pathParameter("trigger", context)
        let (before, limit) = try ControlRoutes.ledgerPage(request)
        let slots = try await self.plane.scheduleLedger(workflow: workflow, trigger: trigger, before: before, limit: limit)
        let entry = try await self.plane.schedules().first {
            $0["workflow"]?.stringValue == workflow && $0["trigger"]?.stringValue == trigger
        }
        var body = "<p><a href=\"/schedules\">← Schedules</a></p>"
        body += Self.ledgerSummary(workflow: workflow, trigger: trigger, entry: entry)
        body += Self.ledgerTable(slots)
        let path = "/schedules/\(HTML.segment(workflow))/\(HTML.segment(trigger))"
        let limitText = limit == ControlRoutes.ledgerPageSize ? nil : String(limit)
        if slots.count == limit, let last = slots.last {
            let older = HTML.link(path, [("limit", limitText), ("before", Timestamp.format(last.scheduledAt))])
            body += "<nav class=\"pager\"><a href=\"\(HTML.escape(path))\">Newest</a> <a rel=\"next\" href=\"\(older)\">Older →</a></nav>"
        } else if before != nil {
            body += "<nav class=\"pager\"><a href=\"\(HTML.escape(path))\">Newest</a></nav>"
        }
        var command = "triggerctl schedules ledger \(HTML.shellWord(workflow)) \(HTML.shellWord(trigger))"
        if let before { command += " --before \(Timestamp.format(before))" }
        if let limitText { command += " --limit \(limitText)" }
        return ConsolePage(title: "Ledger of \(workflow)", section: "/schedules", body: body, command: command).response()
    }

    /// The trigger's schedule, zone, policies and next fire (when it is loaded).
    private static func ledgerSummary(workflow: String, trigger: String, entry: JSONValue?) -> String {
        var facts = [
            ("Workflow", "<a href=\"/workflows/\(HTML.segment(workflow))\">\(HTML.escape(workflow))</a>"),
            ("Trigger", "<code>\(HTML.escape(trigger))</code>"),
        ]
        if let entry {
            let text = { (key: String) in HTML.escape(entry[key]?.stringValue ?? "—") }
            facts.append(("Next fire", text("next")))
            facts.append(("Policies", "catch_up: \(text("catch_up")), overlap: \(text("overlap"))"))
        } else {
            facts.append(("State", "not loaded any more: the ledger is what it left"))
        }
        let rows = facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined()
        return "<dl class=\"facts\">\(rows)</dl>"
    }

    /// `table#ledger`: one `tr[data-slot][data-outcome]` per slot, newest first.
    static func ledgerTable(_ slots: [ScheduleSlot]) -> String {
        let rows = slots.map { slot in
            let run = slot.runID.map { "<a href=\"/runs/\(HTML.segment($0))\"><code>\(HTML.escape($0))</code></a>" }
                ?? "<span class=\"muted\">—</span>"
            let outcome = HTML.escape(slot.outcome)
            return """
                <tr data-slot="\(HTML.escape(Timestamp.format(slot.scheduledAt)))" data-outcome="\(outcome)">\
                <td>\(HTML.time(slot.scheduledAt))</td><td><span class="badge \(Self.outcomeClass[slot.outcome] ?? "")">\(outcome)</span></td>\
                <td>\(run)</td><td class="num">\(HTML.escape(Self.lateness(slot.lateness)))</td>\
                <td>\(HTML.escape(slot.reason))</td></tr>
                """
        }.joined(separator: "\n")
        let empty = slots.isEmpty ? "<tr class=\"empty\"><td colspan=\"5\">No slots recorded yet.</td></tr>" : ""
        return """
            <div class="scroll"><table id="ledger"><thead><tr><th>Slot (UTC)</th><th>Outcome</th><th>Run</th>\
            <th class="num">Late</th><th>Why</th></tr></thead>
            <tbody>\(rows)\(empty)</tbody></table></div>
            """
    }

    /// The status colours the outcomes borrow (no extra CSS): started green, failed red, queued amber, the rest grey.
    private static let outcomeClass = [
        "started": "s-completed", "failed": "s-failed", "queued": "s-waiting", "missed": "s-retrying",
        "skipped": "s-cancelled", "dropped": "s-cancelled",
    ]

    private static func lateness(_ seconds: Double) -> String {
        HTML.duration(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: max(0, seconds)))
    }
}
