import Engine
import Foundation
import Hummingbird

extension ConsoleRoutes {
    func addWorkflowPages(to router: Router<ControlRequestContext>) {
        router.get("/workflows") { _, _ in
            let workflows = await self.plane.workflows()
            return ConsolePage(
                title: "Workflows",
                section: "/workflows",
                body: Self.workflowsTable(workflows),
                command: "triggerctl workflows"
            ).response()
        }
        router.get("/workflows/{name}") { request, context in
            let name = try ControlRoutes.pathParameter("name", context)
            return try await self.workflowPage(name, request, context, dryRun: nil)
        }
        router.post("/workflows/{name}/test") { request, context in
            let (form, _) = try await self.checkedForm(request, context)
            let name = try ControlRoutes.pathParameter("name", context)
            let dryRun = try DryRunView.request(from: form)
            let report = try await self.plane.dryRun(workflow: name, dryRun)
            return try await self.workflowPage(name, request, context, dryRun: (form, report))
        }
        router.post("/workflows/{name}/runs") { request, context in
            let (form, _) = try await self.checkedForm(request, context)
            let name = try ControlRoutes.pathParameter("name", context)
            guard let workflow = await self.plane.workflow(named: name) else {
                throw EngineError(.notFound, "no workflow named '\(name)'")
            }
            let input = try WorkflowDetailView.input(from: form, for: workflow)
            let runID = try await self.plane.startRun(workflow: name, input: input)
            return ConsolePage.redirect("/runs/\(HTML.segment(runID))?done=started")
        }
    }

    /// `/workflows/{name}`: the workflow, its versions (with the diff `?from=&to=` asks for) and the dry-run form,
    /// with the result of a dry run just made.
    private func workflowPage(
        _ name: String, _ request: Request, _ context: ControlRequestContext, dryRun: (ConsoleForm, DryRunReport)?
    ) async throws -> Response {
        guard let workflow = await self.plane.workflow(named: name) else {
            throw EngineError(.notFound, "no workflow named '\(name)'")
        }
        let versions = try await self.plane.workflowVersions(name: name) ?? []
        var diff: (from: WorkflowVersion, to: WorkflowVersion)?
        let from = Self.query("from", request)
        let to = Self.query("to", request)
        if dryRun == nil, from != nil || to != nil {
            guard let from, let to else {
                throw EngineError(.invalidInput, "a diff needs both from= and to= (two versions of '\(name)')")
            }
            diff = (
                try await ControlRoutes.version(from, of: name, plane: self.plane),
                try await ControlRoutes.version(to, of: name, plane: self.plane)
            )
        }
        let csrf = try self.csrfToken(context)
        var body = Self.notice(request)
        body += WorkflowDetailView(workflow: workflow, csrf: csrf).render()
        body += WorkflowVersionsView(workflow: workflow.name, versions: versions, diff: diff).render()
        if workflow.version != nil {
            body += DryRunView(
                workflow: workflow, csrf: csrf, inputText: dryRun?.0.fields["input"], mocksText: dryRun?.0.fields["mocks"],
                report: dryRun?.1
            ).render()
        }
        var command = "triggerctl workflows \(HTML.shellWord(workflow.name))"
        if let diff {
            command = "triggerctl workflows diff \(HTML.shellWord(workflow.name)) "
                + "\(WorkflowVersionsView.short(diff.from.version)) \(WorkflowVersionsView.short(diff.to.version))"
        } else if dryRun != nil {
            command = "triggerctl test \(HTML.shellWord(workflow.file)) --mock STEP=@FILE"
        }
        return ConsolePage(title: "Workflow \(workflow.name)", section: "/workflows", body: body, command: command)
            .response()
    }

    static func workflowsTable(_ workflows: [WorkflowSummary]) -> String {
        guard !workflows.isEmpty else { return "<p class=\"empty\">No workflow files in the workflows directory.</p>" }
        let rows = workflows.map { w -> String in
            let triggers = w.triggers.compactMap { $0["type"]?.stringValue }.joined(separator: ", ")
            let state =
                w.loadError != nil
                ? (w.version == nil ? HTML.badge("failed") : "<span class=\"badge s-waiting\">stale</span>")
                : HTML.badge("completed").replacingOccurrences(of: ">completed<", with: ">loaded<")
            let error = w.loadError.map { "<pre class=\"diagnostic\">\(HTML.escape($0))</pre>" } ?? ""
            return """
                <tr data-workflow="\(HTML.escape(w.name))"><td><a href="/workflows/\(HTML.segment(w.name))">\
                \(HTML.escape(w.name))</a></td><td>\(state)</td><td><code>\(HTML.escape(w.file))</code></td>\
                <td>\(HTML.escape(triggers))</td><td class="num">\(w.steps.count)</td>\
                <td>\(HTML.escape(w.description ?? ""))\(error)</td></tr>
                """
        }.joined(separator: "\n")
        return """
            <div class="scroll"><table id="workflows"><thead><tr><th>Workflow</th><th>State</th><th>File</th>\
            <th>Triggers</th><th class="num">Steps</th><th>Description / load error</th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            """
    }
}
