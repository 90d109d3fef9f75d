import Engine
import Foundation
import Hummingbird

extension ConsoleRoutes {
    func addDeliveryPages(to router: Router<ControlRequestContext>) {
        router.get("/deliveries") { request, context in
            let workflow = Self.query("workflow", request)
            let deliveries = try await self.plane.deliveries(workflow: workflow, limit: 200)
            var body = Self.notice(request)
            body += """
                <form class="filters" method="get" action="/deliveries"><label>Workflow \
                <input name="workflow" value="\(HTML.escape(workflow ?? ""))"></label>\
                <button type="submit">Filter</button> <a href="/deliveries">Clear</a></form>
                """
            body += self.deliveriesTable(deliveries, csrf: try self.csrfToken(context))
            var command = "triggerctl deliveries"
            if let workflow { command += " --workflow \(HTML.shellWord(workflow))" }
            return ConsolePage(title: "Deliveries", section: "/deliveries", body: body, command: command).response()
        }
        router.post("/deliveries/{id}/replay") { request, context in
            _ = try await self.checkedForm(request, context)
            let id = try ControlRoutes.pathParameter("id", context)
            let runID = try await self.plane.replay(deliveryID: id)
            return ConsolePage.redirect("/runs/\(HTML.segment(runID))?done=replayed")
        }
    }

    /// Newest first: the verdict, dedupe key, what became of it (run or event) and a replay button for runs.
    private func deliveriesTable(_ deliveries: [JSONValue], csrf: String) -> String {
        guard !deliveries.isEmpty else { return "<p class=\"empty\">No webhook deliveries stored.</p>" }
        func text(_ value: JSONValue?) -> String {
            value?.stringValue.map { HTML.escape($0) } ?? "<span class=\"muted\">—</span>"
        }
        let rows = deliveries.map { d -> String in
            let id = d["id"]?.stringValue ?? ""
            let outcome = d["outcome"]?.stringValue ?? "?"
            let verdict = ["started": "completed", "emitted": "completed", "filtered": "skipped", "error": "failed"]
            let badge = "<span class=\"badge s-\(verdict[outcome] ?? "pending")\">\(HTML.escape(outcome))</span>"
            var answer = text(d["reason"])
            if let run = d["run_id"]?.stringValue {
                answer = "run <a href=\"/runs/\(HTML.segment(run))\"><code>\(HTML.escape(run))</code></a> "
                    + (d["run_status"]?.stringValue.map(HTML.badge) ?? "")
            } else if let event = d["event_id"]?.stringValue {
                answer = "event <code>\(HTML.escape(event))</code>"
            }
            let received = d["received_at"]?.stringValue.flatMap(Timestamp.parse).map { HTML.time($0) } ?? text(d["received_at"])
            let replay = """
                <form method="post" action="/deliveries/\(HTML.segment(id))/replay" class="inline">\
                \(HTML.csrfField(csrf))<button type="submit">Replay</button></form>
                """
            return """
                <tr data-delivery-id="\(HTML.escape(id))"><td><code>\(HTML.escape(id))</code></td>\
                <td>\(text(d["workflow"]))</td><td><code>\(text(d["path"]))</code></td><td>\(received)</td>\
                <td>\(badge)</td><td><code>\(text(d["dedupe_key"]))</code></td><td>\(answer)</td>\
                <td>\(outcome == "filtered" ? "" : replay)</td></tr>
                """
        }.joined(separator: "\n")
        return """
            <div class="scroll"><table id="deliveries"><thead><tr><th>Delivery</th><th>Workflow</th><th>Path</th>\
            <th>Received (UTC)</th><th>Verdict</th><th>Dedupe key</th><th>Became</th><th></th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            """
    }
}
