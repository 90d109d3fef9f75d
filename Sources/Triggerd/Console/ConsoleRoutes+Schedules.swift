import Engine
import Foundation
import Hummingbird

extension ConsoleRoutes {
    func addSchedulePages(to router: Router<ControlRequestContext>) {
        router.get("/schedules") { _, _ in
            let schedules = try await self.plane.schedules()
            return ConsolePage(
                title: "Schedules",
                section: "/schedules",
                body: Self.schedulesTable(schedules),
                command: "triggerctl schedules"
            ).response()
        }
        router.get("/schedules/{workflow}/{trigger}") { request, context in
            try await self.ledgerPage(request, context)
        }
    }

    /// Every cron trigger: its next fire, its last slot and fire, how late it was, and the ledger's counts of
    /// missed and skipped slots with the policy that decided them.
    static func schedulesTable(_ schedules: [JSONValue]) -> String {
        guard !schedules.isEmpty else { return "<p class=\"empty\">No cron triggers are loaded.</p>" }
        func text(_ value: JSONValue?) -> String {
            switch value {
            case .string(let s)?: HTML.escape(s)
            case .number(let n)?: n == n.rounded() ? String(Int(n)) : String(format: "%.3f", n)
            default: "<span class=\"muted\">—</span>"
            }
        }
        let rows = schedules.map { entry -> String in
            let workflow = entry["workflow"]?.stringValue ?? ""
            let ledger = "/schedules/\(HTML.segment(workflow))/\(HTML.segment(entry["trigger"]?.stringValue ?? ""))"
            let run = entry["last_run_id"]?.stringValue.map {
                "<a href=\"/runs/\(HTML.segment($0))\"><code>\(HTML.escape($0))</code></a>"
            } ?? "<span class=\"muted\">—</span>"
            let misses = entry["misses"]?.intValue ?? 0
            let skipped = entry["skipped"]?.intValue ?? 0
            var why = ["<a href=\"\(ledger)\">ledger</a>"]
            if misses > 0 {
                why.append("\(misses) missed while down (catch_up: \(text(entry["catch_up"])))")
            }
            if skipped > 0 { why.append("\(skipped) skipped (overlap: \(text(entry["overlap"])))") }
            if let queued = entry["queued"]?.intValue, queued > 0 { why.append("\(queued) queued behind a run") }
            return """
                <tr><td><a href="/workflows/\(HTML.segment(workflow))">\(HTML.escape(workflow))</a></td>\
                <td><code>\(text(entry["schedule"]))</code></td><td>\(text(entry["timezone"]))</td>\
                <td>\(text(entry["next"]))</td><td>\(text(entry["last_scheduled_at"]))</td>\
                <td>\(text(entry["last_fired_at"]))</td><td>\(run)</td>\
                <td class="num">\(text(entry["lateness_seconds"]))</td>\
                <td>\(why.joined(separator: "<br>"))</td></tr>
                """
        }.joined(separator: "\n")
        return """
            <div class="scroll"><table id="schedules"><thead><tr><th>Workflow</th><th>Schedule</th><th>Zone</th>\
            <th>Next fire</th><th>Last slot</th><th>Last fired</th><th>Last run</th><th class="num">Late (s)</th>\
            <th>Skips and catch-ups</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }
}
