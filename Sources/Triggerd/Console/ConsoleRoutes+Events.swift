import Engine
import Foundation
import Hummingbird

extension ConsoleRoutes {
    /// Events shown on `/events`.
    static let recentEventCount: Int64 = 50

    func addEventPages(to router: Router<ControlRequestContext>) {
        router.get("/events") { _, context in
            let seq = try await self.plane.latestEventSeq()
            let events = await self.recentEvents(upTo: seq)
            let body = self.emitForm(csrf: try self.csrfToken(context), name: "", key: "", data: "") + Self.eventsTable(events)
            return ConsolePage(
                title: "Events",
                section: "/events",
                body: body,
                command: "triggerctl watch",
                live: [("data-stream", "/console/stream?after=\(seq)"), ("data-events", "1")]
            ).response()
        }
        router.post("/events") { request, context in
            let (form, _) = try await self.checkedForm(request, context)
            guard let name = form["name"] else {
                throw EngineError(.invalidInput, "an event needs a name, like order.paid")
            }
            var data = JSONValue.object([:])
            if let text = form["data"] {
                guard let value = try? JSONValue.parse(text) else {
                    throw EngineError(.invalidInput, "data must be JSON, like {\"id\": 42}")
                }
                data = value
            }
            let result = try await self.plane.emit(name: name, key: form["key"], data: data)
            func links(_ ids: [String]) -> String {
                ids.isEmpty
                    ? "none"
                    : ids.map { "<a href=\"/runs/\(HTML.segment($0))\"><code>\(HTML.escape($0))</code></a>" }
                        .joined(separator: ", ")
            }
            var body = "<p class=\"notice\" role=\"status\">Event <code>\(HTML.escape(result.eventID))</code> emitted.</p>"
            body += "<dl class=\"panel\"><dt>Resumed</dt><dd>\(links(result.resumed))</dd>"
            body += "<dt>Started</dt><dd>\(links(result.started))</dd></dl>"
            body += self.emitForm(csrf: try self.csrfToken(context), name: name, key: form["key"] ?? "", data: form["data"] ?? "")
            var command = "triggerctl emit \(HTML.shellWord(name))"
            if let key = form["key"] { command += " --key \(HTML.shellWord(key))" }
            if let text = form["data"] { command += " --data \(HTML.shellWord(text))" }
            return ConsolePage(title: "Events", section: "/events", body: body, command: command).response()
        }
    }

    private func emitForm(csrf: String, name: String, key: String, data: String) -> String {
        """
        <form method="post" action="/events" class="panel emit">\(HTML.csrfField(csrf))
        <label>Name <input name="name" required value="\(HTML.escape(name))" placeholder="order.paid"></label>
        <label>Key <input name="key" value="\(HTML.escape(key))" placeholder="optional correlation key"></label>
        <label>Data (JSON) <textarea name="data" placeholder="{}">\(HTML.escape(data))</textarea></label>
        <p><button type="submit">Emit event</button></p></form>
        """
    }

    /// The newest stored run events, oldest first, read from the stream up to `latest` (bounded in time, so a
    /// pruned store cannot hold the page).
    private func recentEvents(upTo latest: Int64) async -> [RunEvent] {
        guard latest > 0 else { return [] }
        let stream = await self.plane.eventStream(after: max(0, latest - Self.recentEventCount), runID: nil)
        return await withTaskGroup(of: [RunEvent]?.self) { group in
            group.addTask {
                var events: [RunEvent] = []
                for await event in stream {
                    events.append(event)
                    if event.seq >= latest { break }
                }
                return events
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(2))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? []
        }
    }

    static func eventsTable(_ events: [RunEvent]) -> String {
        let rows = events.reversed().map { e -> String in
            """
            <tr data-seq="\(e.seq)"><td class="num">\(e.seq)</td><td>\(HTML.time(e.at))</td>\
            <td><code>\(HTML.escape(e.type.rawValue))</code></td>\
            <td><a href="/runs/\(HTML.segment(e.runID))"><code>\(HTML.escape(e.runID))</code></a></td>\
            <td>\(HTML.escape(e.workflow))</td><td>\(HTML.escape(e.step ?? ""))</td>\
            <td>\(e.error.map { "<span class=\"\(e.type == .stepSkipped ? "muted" : "error-text")\">\(HTML.escape($0))</span>" } ?? "")</td></tr>
            """
        }.joined(separator: "\n")
        let empty = events.isEmpty ? "<tr class=\"empty\"><td colspan=\"7\">No events yet.</td></tr>" : ""
        return """
            <h2>Recent run events</h2><div class="scroll"><table id="events"><thead><tr><th class="num">Seq</th>\
            <th>At (UTC)</th><th>Type</th><th>Run</th><th>Workflow</th><th>Step</th><th>Error</th></tr></thead>\
            <tbody>\(rows)\(empty)</tbody></table></div>
            """
    }
}
