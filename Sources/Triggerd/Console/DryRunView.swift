import Engine
import Foundation

/// The dry-run section of `/workflows/{name}`: a form (the run's input and the mocked steps' outputs, each a JSON
/// object) that posts to `/workflows/{name}/test`, and after a dry run its result: the status, the graph with
/// each step's status, and each step's output or error. Nothing of it is stored.
struct DryRunView {
    let workflow: WorkflowSummary
    let csrf: String
    /// The form's text as last submitted (kept across a dry run); nil for the defaults.
    var inputText: String?
    var mocksText: String?
    var report: DryRunReport?

    /// Step types whose steps run for real in a dry run; the others need a mock.
    static let runsForReal: Set<String> = Set(["transform", "condition", "for_each", "function_call", "delay"])

    func render() -> String {
        var html = "<section id=\"dry-run\"><h2>Dry run</h2>"
        html += """
            <p class="muted">Runs this workflow in a throwaway store with a clock that jumps over delays: \
            <code>transform</code>, <code>condition</code>, <code>function_call</code> and <code>delay</code> steps \
            run, every other step answers with its mock or fails without running. No run is stored and no command, \
            request or email leaves the daemon.</p>
            """
        html += self.form()
        if let report { html += Self.result(report) }
        return html + "</section>"
    }

    private func form() -> String {
        let action = "/workflows/\(HTML.segment(self.workflow.name))/test#dry-run"
        let input = self.inputText ?? Self.inputSkeleton(self.workflow)
        let mocks = self.mocksText ?? Self.mocksSkeleton(self.workflow)
        return """
            <form method="post" action="\(action)" class="panel" id="dry-run-form">\(HTML.csrfField(self.csrf))\
            <label>Input (a JSON object) <textarea name="input" spellcheck="false">\(HTML.escape(input))</textarea></label>\
            <label>Mocks (a JSON object: step id → the output it answers with) \
            <textarea name="mocks" spellcheck="false">\(HTML.escape(mocks))</textarea></label>\
            <p><button type="submit">Dry run</button></p></form>
            <p class="muted">In a terminal: <code>triggerctl test \(HTML.escape(HTML.shellWord(self.workflow.file))) \
            --input '{...}' --mock STEP=@FILE</code></p>
            """
    }

    /// The result: status, what was mocked, the graph and the steps with their outputs and errors.
    static func result(_ report: DryRunReport) -> String {
        let run = report.run
        var html = "<div class=\"dry-result\" id=\"dry-run-result\" data-status=\"\(run.status.rawValue)\">"
        html += "<h3>Result \(HTML.badge(run.status.rawValue))</h3>"
        if let error = run.error { html += "<p class=\"error-text\">\(HTML.escape(error))</p>" }
        if let stuck = report.stuck {
            html += "<p class=\"error-text\">The run waits on \(HTML.escape(stuck)), which nothing in a dry run can end: mock it.</p>"
        }
        var facts: [String] = []
        facts.append(report.mocked.isEmpty ? "nothing mocked" : "mocked: " + report.mocked.map(HTML.escape).joined(separator: ", "))
        if report.clockAdvances > 0 {
            facts.append("clock moved \(report.clockAdvances) time\(report.clockAdvances == 1 ? "" : "s")")
        }
        html += "<p class=\"muted\">\(facts.joined(separator: " · ")) · not stored</p>"
        html += RunGraphView(steps: run.steps).render()
        let rows = run.steps.map { step -> String in
            let id = HTML.escape(step.id)
            var detail = ""
            if let error = step.error { detail += "<p class=\"error-text\">\(HTML.escape(error))</p>" }
            if let output = step.output { detail += HTML.json(output) }
            let mocked = report.mocked.contains(step.id) ? " <span class=\"badge\">mocked</span>" : ""
            return """
                <tr data-step="\(id)" data-status="\(step.status.rawValue)"><td><code>\(id)</code>\(mocked)</td>\
                <td>\(HTML.escape(step.type))</td><td>\(HTML.badge(step.status.rawValue))</td>\
                <td class="num">\(step.attempts)</td><td class="detail">\(detail)</td></tr>
                """
        }.joined(separator: "\n")
        html += """
            <div class="scroll"><table id="dry-run-steps"><thead><tr><th>Step</th><th>Type</th><th>Status</th>\
            <th class="num">Attempts</th><th>Output / error</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
        if let output = run.output { html += "<h3>Output</h3>\(HTML.json(output))" }
        return html + "</div>"
    }

    /// `{}` with each declared input: its default, or an empty value of its type.
    static func inputSkeleton(_ workflow: WorkflowSummary) -> String {
        guard !workflow.inputs.isEmpty else { return "{}" }
        var object: [String: JSONValue] = [:]
        for input in workflow.inputs {
            object[input.name] = input.defaultValue ?? Self.emptyValue(of: input.type)
        }
        return JSONValue.object(object).jsonString(pretty: true)
    }

    /// An empty value of an input's type, for the input skeleton.
    static func emptyValue(of type: InputDefinition.Kind) -> JSONValue {
        switch type {
        case .string: .string("")
        case .number, .integer: .number(0)
        case .boolean: .bool(false)
        case .object: .object([:])
        case .array: .array([])
        case .any: .null
        }
    }

    /// One entry per step that would otherwise fail or wait: `{}`, or `{"approved": true}` for an approval.
    static func mocksSkeleton(_ workflow: WorkflowSummary) -> String {
        var object: [String: JSONValue] = [:]
        for id in workflow.steps {
            let type = workflow.stepTypes[id] ?? ""
            guard !Self.runsForReal.contains(type) else { continue }
            object[id] = type == "wait_for_approval" ? ["approved": true, "by": ["dry-run"]] : .object([:])
        }
        return object.isEmpty ? "{}" : JSONValue.object(object).jsonString(pretty: true)
    }

    /// The dry-run request from the form's two fields; each must be a JSON object, and the error names the field.
    static func request(from form: ConsoleForm) throws -> DryRunRequest {
        func object(_ field: String, _ label: String) throws -> [String: JSONValue] {
            let text = (form[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { return [:] }
            let value: JSONValue
            do {
                value = try JSONValue.parse(text)
            } catch let error as JSONParseError {
                throw EngineError(.invalidInput, "the \(label) is \(error.description)")
            }
            guard let members = value.objectValue else {
                throw EngineError(.invalidInput, "the \(label) must be a JSON object, like {\"key\": \"value\"}, not \(value.typeName)")
            }
            return members
        }
        return DryRunRequest(input: .object(try object("input", "input")), mocks: try object("mocks", "mocks field"))
    }
}
