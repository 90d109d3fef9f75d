import Engine
import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle

extension ConsoleRoutes {
    /// `/`: run counts by status, what waits for people, load errors, the next cron fires and the latest runs.
    func overview(_ request: Request, _ context: ControlRequestContext) async throws -> Response {
        let seq = try await self.plane.latestEventSeq()
        let status = try await self.plane.status()
        let recent = try await self.plane.runs(RunQuery(limit: 10))
        var body = "<section class=\"cards\">"
        for runStatus in RunStatus.allCases {
            let count = status.runCounts[runStatus] ?? 0
            body += """
                <a class="card" data-status="\(runStatus.rawValue)" href="/runs?status=\(runStatus.rawValue)">\
                <span class="count">\(count)</span>\(HTML.badge(runStatus.rawValue))</a>
                """
        }
        body += """
            <a class="card" href="/approvals"><span class="count">\(status.pendingApprovals)</span>\
            <span class="label">approvals waiting</span></a></section>
            """
        body += "<section class=\"facts\"><dl>"
        body += "<dt>Version</dt><dd>\(HTML.escape(status.version))</dd>"
        body += "<dt>Up since</dt><dd>\(HTML.time(status.startedAt))</dd>"
        body += "<dt>Workflows</dt><dd><a href=\"/workflows\">\(status.workflowsLoaded) loaded</a></dd>"
        body += "<dt>Webhooks</dt><dd><code>\(HTML.escape(status.listen))</code></dd>"
        body += "<dt>Socket</dt><dd><code>\(HTML.escape(status.socket))</code></dd></dl></section>"
        if !status.loadErrors.isEmpty {
            body += "<section><h2>Load errors</h2><ul class=\"load-errors\">"
            for error in status.loadErrors {
                body += "<li><pre class=\"diagnostic\">\(HTML.escape(error.message))</pre></li>"
            }
            body += "</ul></section>"
        }
        if !status.nextFires.isEmpty {
            body += "<section><h2>Next fires</h2><table class=\"compact\"><thead><tr><th>Workflow</th><th>Next</th></tr></thead><tbody>"
            for fire in status.nextFires.prefix(10) {
                let workflow = fire["workflow"]?.stringValue ?? "?"
                body += "<tr><td><a href=\"/workflows/\(HTML.segment(workflow))\">\(HTML.escape(workflow))</a></td>"
                body += "<td>\(HTML.escape(fire["next"]?.stringValue ?? "—"))</td></tr>"
            }
            body += "</tbody></table><p><a href=\"/schedules\">All schedules</a></p></section>"
        }
        body += "<section><h2>Latest runs</h2>\(Self.runsTable(recent))<p><a href=\"/runs\">All runs</a></p></section>"
        return ConsolePage(
            title: "Overview",
            section: "/",
            body: body,
            command: "triggerctl status",
            live: [("data-stream", "/console/stream?after=\(seq)"), ("data-prepend", "1")]
        ).response()
    }

    /// `/console/stream?run=&after=`: the event stream for a page's live updates. Unlike the API's stream, a
    /// reconnecting browser's `Last-Event-ID` wins over the `after` in the URL it reconnects to, so nothing is
    /// sent twice.
    func stream(_ request: Request) async throws -> Response {
        let lastID = request.headers.first { $0.name.canonicalName == "last-event-id" }?.value
        var after: Int64 = 0
        if let text = lastID ?? Self.query("after", request) {
            guard let seq = Int64(text), seq >= 0 else {
                throw EngineError(.invalidInput, "after must be an event sequence number (0 or more), got '\(text)'")
            }
            after = seq
        }
        let events = await self.plane.eventStream(after: after, runID: Self.query("run", request))
        let body = ResponseBody { writer in
            // Tells EventSource to reconnect after 2 s instead of its default 3 s.
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            for await event in events.cancelOnGracefulShutdown() {
                try await writer.write(ByteBuffer(string: ControlRoutes.serverSentEvent(event)))
            }
            try await writer.finish(nil)
        }
        var headers = ConsolePage.headers(contentType: "text/event-stream")
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: body)
    }
}
