import Engine
import Foundation

/// The body of `/workflows/{name}`: load error (`file:line:col: ...`), triggers, the graph from the file (read-only)
/// and a run form built from the declared `inputs`.
struct WorkflowDetailView {
    let workflow: WorkflowSummary
    let csrf: String

    func render() -> String {
        let w = self.workflow
        var html = "<section class=\"summary\"><dl>"
        html += "<dt>File</dt><dd><code>\(HTML.escape(w.file))</code></dd>"
        html += "<dt>Version</dt><dd><code>\(HTML.escape(w.version ?? "never loaded"))</code></dd>"
        if let description = w.description { html += "<dt>Description</dt><dd>\(HTML.escape(description))</dd>" }
        html += "<dt>Runs</dt><dd><a href=\"/runs?workflow=\(HTML.segment(w.name))\">runs of this workflow</a></dd>"
        html += "</dl></section>"
        if let error = w.loadError {
            let note =
                w.version == nil
                ? "This file has never loaded." : "The last good version stays active until the file is fixed."
            html += "<section><h2>Load error</h2><pre class=\"diagnostic error-text\">\(HTML.escape(error))</pre>"
            html += "<p class=\"muted\">\(note)</p></section>"
        }
        html += "<section><h2>Triggers</h2>" + self.triggers() + "</section>"
        let steps = w.steps.map { id in
            StepRecord(id: id, type: w.stepTypes[id] ?? "step", status: .pending, needs: w.stepNeeds[id] ?? [])
        }
        html += "<section><h2>Graph</h2>\(RunGraphView(steps: steps).render())</section>"
        if w.version != nil, w.triggers.contains(where: { $0["type"]?.stringValue == "manual" }) {
            html += "<section><h2>Start a run</h2>\(self.runForm())</section>"
        }
        return html
    }

    private func triggers() -> String {
        guard !self.workflow.triggers.isEmpty else { return "<p class=\"empty\">None.</p>" }
        let items = self.workflow.triggers.map { trigger -> String in
            let type = trigger["type"]?.stringValue ?? "?"
            let details = (trigger.objectValue ?? [:]).filter { $0.key != "type" && $0.value != .null }.sorted { $0.key < $1.key }
                .map { "\(HTML.escape($0.key)): <code>\(HTML.escape($0.value.interpolated))</code>" }
            return "<li><strong>\(HTML.escape(type))</strong> \(details.joined(separator: " · "))</li>"
        }
        return "<ul>\(items.joined())</ul>"
    }

    /// One field per declared input (types decide the control); without declared inputs, a JSON object field.
    private func runForm() -> String {
        let action = "/workflows/\(HTML.segment(self.workflow.name))/runs"
        var fields = ""
        for input in self.workflow.inputs {
            let name = HTML.escape("input." + input.name)
            let label = HTML.escape(input.name) + (input.required ? " (required)" : "")
            let placeholder = input.defaultValue.map { HTML.escape("default: " + $0.jsonString()) } ?? ""
            let required = input.required ? " required" : ""
            switch input.type {
            case .string:
                fields += "<label>\(label) <input name=\"\(name)\" placeholder=\"\(placeholder)\"\(required)></label>"
            case .number, .integer:
                let step = input.type == .integer ? "1" : "any"
                fields +=
                    "<label>\(label) <input type=\"number\" step=\"\(step)\" name=\"\(name)\" placeholder=\"\(placeholder)\"\(required)></label>"
            case .boolean:
                fields += """
                    <label>\(label) <select name="\(name)"\(required)><option value="">\(placeholder.isEmpty ? "—" : placeholder)</option>\
                    <option>true</option><option>false</option></select></label>
                    """
            case .object, .array, .any:
                fields += "<label>\(label) (JSON) <textarea name=\"\(name)\" placeholder=\"\(placeholder)\"\(required)></textarea></label>"
            }
            if let description = input.description { fields += "<p class=\"muted\">\(HTML.escape(description))</p>" }
        }
        if self.workflow.inputs.isEmpty {
            fields += "<label>Input (a JSON object, optional) <textarea name=\"input\" placeholder=\"{}\"></textarea></label>"
        }
        return """
            <form method="post" action="\(action)" class="run-form panel">\(HTML.csrfField(self.csrf))\(fields)\
            <p><button type="submit" class="approve">Start run</button></p></form>
            <p class="muted">In a terminal: <code>triggerctl run \(HTML.escape(HTML.shellWord(self.workflow.name))) --input '{...}'</code></p>
            """
    }

    /// The run's input from the form: each `input.NAME` field converted to its declared type, blank ones left
    /// out (so defaults apply). Throws `EngineError(.invalidInput)` naming the field for a value of the wrong type.
    static func input(from form: ConsoleForm, for workflow: WorkflowSummary) throws -> JSONValue {
        if workflow.inputs.isEmpty {
            guard let text = form["input"] else { return .object([:]) }
            guard let value = try? JSONValue.parse(text), value.objectValue != nil else {
                throw EngineError(.invalidInput, "the input must be a JSON object, like {\"key\": \"value\"}")
            }
            return value
        }
        var object: [String: JSONValue] = [:]
        for input in workflow.inputs {
            guard let text = form["input." + input.name] else { continue }
            switch input.type {
            case .string: object[input.name] = .string(text)
            case .number:
                guard let number = Double(text.trimmingCharacters(in: .whitespaces)) else {
                    throw EngineError(.invalidInput, "input '\(input.name)' must be a number, got '\(text)'")
                }
                object[input.name] = .number(number)
            case .integer:
                guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    throw EngineError(.invalidInput, "input '\(input.name)' must be a whole number, got '\(text)'")
                }
                object[input.name] = .number(Double(number))
            case .boolean:
                guard text == "true" || text == "false" else {
                    throw EngineError(.invalidInput, "input '\(input.name)' must be true or false, got '\(text)'")
                }
                object[input.name] = .bool(text == "true")
            case .object, .array, .any:
                guard let value = try? JSONValue.parse(text) else {
                    throw EngineError(.invalidInput, "input '\(input.name)' must be JSON, got '\(text)'")
                }
                object[input.name] = value
            }
        }
        return .object(object)
    }
}
