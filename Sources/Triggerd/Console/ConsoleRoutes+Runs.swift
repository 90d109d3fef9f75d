import Engine
import Foundation
import Hummingbird

extension ConsoleRoutes {
    /// Runs shown per page of `/runs` unless `?limit=` says otherwise.
    static let runsPerPage = 50
    /// The trigger kinds the runs filter offers (filtered by the store, one index range each).
    static let triggerKinds = TriggerKind.allCases.map(\.rawValue)

    func addRunPages(to router: Router<ControlRequestContext>) {
        router.get("/runs") { request, _ in try await self.runsPage(request) }
        router.get("/runs/{id}") { request, context in try await self.runPage(request, context) }
        // The item counts of the run's for_each steps, which console.js polls while one runs (item results are
        // not run events: a for_each over 10,000 items would add 10,000 rows to the event log).
        router.get("/console/runs/{id}/items") { _, context in
            let id = try ControlRoutes.pathParameter("id", context)
            let progress = try await self.plane.itemProgress(runID: id)
            return Response.json(.object(progress.mapValues(\.json)))
        }
        router.post("/runs/{id}/cancel") { request, context in
            _ = try await self.checkedForm(request, context)
            let id = try ControlRoutes.pathParameter("id", context)
            try await self.plane.cancel(runID: id)
            return ConsolePage.redirect("/runs/\(HTML.segment(id))?done=cancelled")
        }
        router.post("/runs/{id}/retry") { request, context in
            _ = try await self.checkedForm(request, context)
            let id = try ControlRoutes.pathParameter("id", context)
            let newID = try await self.plane.retry(runID: id)
            return ConsolePage.redirect("/runs/\(HTML.segment(newID))?done=retried")
        }
    }

    /// `/runs?workflow=&status=&trigger=&before=&limit=`: newest first, one keyset page at a time.
    private func runsPage(_ request: Request) async throws -> Response {
        var query = RunQuery(limit: Self.runsPerPage)
        query.workflow = Self.query("workflow", request)
        if let text = Self.query("trigger", request) {
            query.triggerType = try TriggerKind.parse(text, option: "?trigger=").rawValue
        }
        query.before = Self.query("before", request)
        if let text = Self.query("status", request) {
            guard let status = RunStatus(rawValue: text) else {
                let known = RunStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw EngineError(.invalidInput, "unknown run status '\(text)' (expected one of: \(known))")
            }
            query.status = status
        }
        if let text = Self.query("limit", request) {
            guard let limit = Int(text), (1...ControlRoutes.maxRunLimit).contains(limit) else {
                throw EngineError(.invalidInput, "limit must be a whole number from 1 to 1000, got '\(text)'")
            }
            query.limit = limit
        }
        if let before = query.before, Timestamp.parse(before) == nil, try await self.plane.run(id: before) == nil {
            throw EngineError(.invalidInput, "before must be a run id or an RFC 3339 time, got '\(before)'")
        }
        // Read the stream position first: every change after the rows were read arrives on the stream.
        let seq = try await self.plane.latestEventSeq()
        let runs = try await self.plane.runs(query)
        let workflows = await self.plane.workflows().map(\.name).sorted()

        var body = Self.runFilters(query, workflows: workflows)
        body += Self.runsTable(runs)
        if runs.count == query.limit, let last = runs.last {
            let older = HTML.link(
                "/runs",
                [
                    ("workflow", query.workflow), ("status", query.status?.rawValue), ("trigger", query.triggerType),
                    ("limit", query.limit == Self.runsPerPage ? nil : String(query.limit)), ("before", last.id),
                ]
            )
            body += "<nav class=\"pager\"><a href=\"/runs\">Newest</a> <a rel=\"next\" href=\"\(older)\">Older →</a></nav>"
        } else if query.before != nil {
            body += "<nav class=\"pager\"><a href=\"/runs\">Newest</a></nav>"
        }
        var command = "triggerctl runs"
        if let workflow = query.workflow { command += " --workflow \(HTML.shellWord(workflow))" }
        if let status = query.status { command += " --status \(status.rawValue)" }
        if let kind = query.triggerType { command += " --trigger \(kind)" }
        if let before = query.before { command += " --before \(HTML.shellWord(before))" }
        command += " --limit \(query.limit)"
        var live: [(String, String)] = [("data-stream", "/console/stream?after=\(seq)")]
        // New rows appear live only on the first page, and only when they would match the filters.
        if query.before == nil, query.triggerType == nil {
            live.append(("data-prepend", "1"))
            if let workflow = query.workflow { live.append(("data-filter-workflow", workflow)) }
            if let status = query.status { live.append(("data-filter-status", status.rawValue)) }
        }
        return ConsolePage(title: "Runs", section: "/runs", body: body, command: command, live: live).response()
    }

    /// The filter form of `/runs` (GET, so the filtered list is a permalink).
    private static func runFilters(_ query: RunQuery, workflows: [String]) -> String {
        func options(_ values: [String], selected: String?, any: String) -> String {
            "<option value=\"\">\(any)</option>"
                + values.map { value in
                    let mark = value == selected ? " selected" : ""
                    return "<option\(mark) value=\"\(HTML.escape(value))\">\(HTML.escape(value))</option>"
                }.joined()
        }
        return """
            <form class="filters" method="get" action="/runs">
            <label>Workflow <select name="workflow">\(options(workflows, selected: query.workflow, any: "any"))</select></label>
            <label>Status <select name="status">\(options(RunStatus.allCases.map(\.rawValue), selected: query.status?.rawValue, any: "any"))</select></label>
            <label>Trigger <select name="trigger">\(options(Self.triggerKinds, selected: query.triggerType, any: "any"))</select></label>
            <label>Before <input name="before" value="\(HTML.escape(query.before ?? ""))" placeholder="run id or 2027-01-15T08:00:00Z"></label>
            <button type="submit">Filter</button> <a href="/runs">Clear</a>
            </form>
            """
    }

    /// `table#runs`: one `tr[data-run-id][data-status]` per run.
    static func runsTable(_ runs: [RunRecord]) -> String {
        let rows = runs.map { run in
            let id = HTML.escape(run.id)
            // The kind the filter uses: a retry or a replay shows as such, not as the type its trigger kept.
            let trigger =
                run.trigger["type"] == nil ? "—" : TriggerKind.of(trigger: run.trigger, retryOf: run.trigger["retry_of"]?.stringValue)
            return """
                <tr data-run-id="\(id)" data-status="\(run.status.rawValue)">\
                <td><a href="/runs/\(HTML.segment(run.id))"><code>\(id)</code></a></td>\
                <td><a href="/workflows/\(HTML.segment(run.workflow))">\(HTML.escape(run.workflow))</a></td>\
                <td>\(HTML.badge(run.status.rawValue))</td><td>\(HTML.escape(trigger))</td>\
                <td>\(HTML.time(run.createdAt))</td>\
                <td class="num" data-duration>\(HTML.duration(from: run.startedAt, to: run.endedAt))</td></tr>
                """
        }.joined(separator: "\n")
        let empty = runs.isEmpty ? "<tr class=\"empty\"><td colspan=\"6\">No runs match.</td></tr>" : ""
        return """
            <div class="scroll"><table id="runs"><thead><tr><th>Run</th><th>Workflow</th><th>Status</th>\
            <th>Trigger</th><th>Created (UTC)</th><th class="num">Duration</th></tr></thead>
            <tbody>\(rows)\(empty)</tbody></table></div>
            """
    }

    /// `/runs/{id}`: the run's graph, its steps with inputs, outputs and errors, and what can be done with it.
    private func runPage(_ request: Request, _ context: ControlRequestContext) async throws -> Response {
        let id = try ControlRoutes.pathParameter("id", context)
        let seq = try await self.plane.latestEventSeq()
        guard let run = try await self.plane.run(id: id) else {
            throw EngineError(.notFound, "no run with id '\(id)'")
        }
        let approvals = try await self.plane.approvals().filter { $0.runID == run.id }
        let token = try self.csrfToken(context)
        let progress =
            run.steps.contains { $0.type == "for_each" && $0.status != .pending } ? try await self.plane.itemProgress(runID: run.id) : [:]
        let page = RunDetailView(run: run, approvals: approvals, csrf: token, progress: progress)
        var body = Self.notice(request)
        body += page.render()
        return ConsolePage(
            title: "Run \(run.id)",
            section: "/runs",
            body: body,
            command: "triggerctl show \(HTML.shellWord(run.id))",
            live: [("data-stream", "/console/stream?run=\(HTML.segment(run.id))&after=\(seq)"), ("data-run", run.id)]
        ).response()
    }
}
