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
            guard let workflow = await self.plane.workflow(named: name) else {
                throw EngineError(.notFound, "no workflow named '\(name)'")
            }
            var body = Self.notice(request)
            body += WorkflowDetailView(workflow: workflow, csrf: try self.csrfToken(context)).render()
            return ConsolePage(
                title: "Workflow \(workflow.name)",
                section: "/workflows",
                body: body,
                command: "triggerctl workflows \(HTML.shellWord(workflow.name))"
            ).response()
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
