public import Foundation
import Yams

extension WorkflowLoader {
    static let stepFields = [
        "type", "needs", "if", "with", "retry", "timeout", "on_error", "then", "else", "description",
    ]
    static let retryFields = ["attempts", "backoff", "initial_delay", "max_delay", "jitter"]

    func readSteps(_ node: Node, reader: NodeReader) -> ([String: StepDefinition], [String]) {
        guard let entries = reader.mapping(node, what: "'steps'") else { return ([:], []) }
        if entries.isEmpty { reader.error(node, "'steps' is empty (add at least one step)") }
        var steps: [String: StepDefinition] = [:]
        var order: [String] = []
        for entry in entries {
            guard Self.isValidStepID(entry.key) else {
                reader.error(entry.keyNode, "step id '\(entry.key)' may only use letters, digits, '-' and '_'")
                continue
            }
            if let step = self.readStep(id: entry.key, idNode: entry.keyNode, node: entry.value, reader: reader, inline: false) {
                steps[entry.key] = step
                order.append(entry.key)
            }
        }
        return (steps, order)
    }

    static func isValidStepID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64
            && id.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
            }
    }

    /// Reads one step; `inline` is true for the body of a `for_each` (no graph fields).
    func readStep(id: String, idNode: Node, node: Node, reader: NodeReader, inline: Bool) -> StepDefinition? {
        let what = inline ? "the inline step of for_each '\(id)'" : "step '\(id)'"
        guard let entries = reader.mapping(node, what: what) else { return nil }
        let allowed = inline ? ["type", "with", "retry", "timeout", "if", "description"] : Self.stepFields
        let f = reader.known(entries, allowed: allowed, what: what)
        guard let typeEntry = f["type"] else {
            reader.error(node, "\(what) has no 'type' (one of: \(StepCatalog.kinds.joined(separator: ", ")))")
            return nil
        }
        guard let type = reader.string(typeEntry.value, what: "'type'") else { return nil }
        guard let schema = StepCatalog.schemas[type] else {
            let hint = DidYouMean.suggest(type, from: StepCatalog.kinds).map { " (did you mean '\($0)'?)" }
                ?? " (expected one of: \(StepCatalog.kinds.joined(separator: ", ")))"
            reader.error(typeEntry.value, "unknown step type '\(type)'\(hint)")
            return nil
        }
        var step = StepDefinition(id: id, type: type, location: reader.location(idNode))
        let outerContext = reader.expressionContext
        reader.expressionContext = inline ? ExpressionContext.inlineStep(id) : ExpressionContext.step(id)
        defer { reader.expressionContext = outerContext }
        step.description = f["description"].flatMap { reader.string($0.value, what: "'description'") }
        if let n = f["needs"], let list = reader.stringList(n.value, what: "'needs'") {
            step.needs = list.map(\.0)
            reader.remember(step: id, role: "needs", list)
        }
        if let c = f["if"] {
            switch reader.json(c.value) {
            case .bool(let b): step.condition = try? Template.parse(b ? "true" : "{{ false }}")
            case .string(let text): step.condition = reader.template(text, node: c.value, what: "'if' of step '\(id)'")
            default: reader.error(c.value, "'if' must be an expression such as \"{{ steps.a.output.ok }}\"")
            }
        }
        if let t = f["timeout"] { step.timeout = reader.duration(t.value, what: "'timeout' of step '\(id)'") }
        if let r = f["retry"] { step.retry = self.readRetry(r.value, reader: reader, stepID: id) }
        if let e = f["on_error"] {
            switch reader.json(e.value) {
            case .string("continue"): step.onError = .continue
            case .string("fail"): step.onError = .fail
            case .string(let other) where !other.contains(" "):
                if case .sequence = e.value {} else {
                    reader.error(e.value, "'on_error' must be 'continue', 'fail' or a list of handler step ids, not '\(other)'")
                }
            case .array:
                let ids = reader.stringList(e.value, what: "'on_error'") ?? []
                step.onError = .handlers(ids.map(\.0))
                reader.remember(step: id, role: "on_error", ids)
            default:
                reader.error(e.value, "'on_error' must be 'continue', 'fail' or a list of handler step ids")
            }
        }
        for (key, keyPath) in [("then", \StepDefinition.thenSteps), ("else", \StepDefinition.elseSteps)] {
            guard let b = f[key] else { continue }
            if type != "condition" {
                reader.error(b.keyNode, "'\(key)' is only allowed on condition steps ('\(id)' is \(type))")
                continue
            }
            let ids = reader.stringList(b.value, what: "'\(key)'") ?? []
            step[keyPath: keyPath] = ids.map(\.0)
            reader.remember(step: id, role: key, ids)
        }
        self.readWith(f["with"], into: &step, schema: schema, stepNode: node, reader: reader)
        return step
    }

    private func readRetry(_ node: Node, reader: NodeReader, stepID: String) -> RetryPolicy? {
        if case .number(let n) = reader.json(node) {
            guard n.rounded() == n, n >= 1, n <= 100 else {
                reader.error(node, "'retry' of step '\(stepID)' must be a number of attempts from 1 to 100")
                return nil
            }
            return RetryPolicy(attempts: Int(n), backoff: .exponential, initialDelay: 1, maxDelay: 60, jitter: 0)
        }
        guard let entries = reader.mapping(node, what: "'retry' of step '\(stepID)'") else { return nil }
        let f = reader.known(entries, allowed: Self.retryFields, what: "'retry' of step '\(stepID)'")
        let attempts = f["attempts"].flatMap { reader.int($0.value, what: "'retry.attempts'", range: 1...100) } ?? 3
        let backoff = f["backoff"].flatMap { self.enumValue($0.value, RetryPolicy.Backoff.self, what: "'retry.backoff'", reader: reader) } ?? .exponential
        let initial = f["initial_delay"].flatMap { reader.duration($0.value, what: "'retry.initial_delay'") } ?? 1
        let maxDelay = f["max_delay"].flatMap { reader.duration($0.value, what: "'retry.max_delay'") } ?? 300
        var jitter = 0.0
        if let j = f["jitter"] {
            switch reader.json(j.value) {
            case .bool(let b): jitter = b ? 0.25 : 0
            case .number(let n) where n >= 0 && n <= 1: jitter = n
            default: reader.error(j.value, "'retry.jitter' must be true, false or a fraction from 0 to 1")
            }
        }
        return RetryPolicy(attempts: attempts, backoff: backoff, initialDelay: initial, maxDelay: max(maxDelay, initial), jitter: jitter)
    }

    /// Checks `with:` against the step type's fields and compiles its templates with exact positions.
    private func readWith(_ entry: NodeReader.Entry?, into step: inout StepDefinition, schema: StepSchema, stepNode: Node, reader: NodeReader) {
        var raw: [String: JSONValue] = [:]
        var entries: [String: NodeReader.Entry] = [:]
        if let entry {
            guard let list = reader.mapping(entry.value, what: "'with' of step '\(step.id)'") else { return }
            entries = reader.known(list, allowed: schema.allFields, what: "'with' of step '\(step.id)' (\(schema.kind))")
            for (k, e) in entries { raw[k] = reader.json(e.value) }
        }
        let anchor = entry?.keyNode ?? stepNode
        for field in schema.required where entries[field] == nil {
            reader.error(anchor, "step '\(step.id)' (\(schema.kind)) is missing required field 'with.\(field)'")
        }
        if !schema.oneOf.isEmpty, !schema.oneOf.contains(where: { entries[$0] != nil }) {
            reader.error(anchor, "step '\(step.id)' (\(schema.kind)) needs one of: \(schema.oneOf.map { "'with.\($0)'" }.joined(separator: " or "))")
        }
        let deferred = StepCatalog.deferredFields(of: schema.kind)
        var compiled: [String: TemplatedValue] = [:]
        for (key, e) in entries {
            if deferred.contains(key) {
                if key == "filter", let text = reader.string(e.value, what: "'with.filter'") {
                    _ = reader.reading(in: .eventWait) {
                        reader.template(text, node: e.value, what: "'with.filter' of step '\(step.id)'")
                    }
                }
                continue
            }
            if let value = self.compileTemplates(e.value, reader: reader, what: "'with.\(key)' of step '\(step.id)'") {
                compiled[key] = value
            }
            if StepCatalog.durationFields.contains(key), case .string(let s) = raw[key]!, !s.contains("{{") {
                _ = reader.duration(e.value, what: "'with.\(key)' of step '\(step.id)'")
            }
        }
        step.rawWith = raw
        step.with = .object(compiled)
        StepChecks.check(&step, entries: entries, reader: reader, loader: self)
    }

    /// Compiles every string of a YAML subtree as a template, reporting errors at their own position.
    func compileTemplates(_ node: Node, reader: NodeReader, what: String) -> TemplatedValue? {
        switch node {
        case .scalar:
            let value = reader.json(node)
            guard case .string(let text) = value, text.contains("{{") else { return .literal(value) }
            return reader.template(text, node: node, what: what).map { $0.isLiteral ? .literal(value) : .template($0) }
        case .sequence(let seq):
            var items: [TemplatedValue] = []
            for item in seq {
                guard let v = self.compileTemplates(item, reader: reader, what: what) else { return nil }
                items.append(v)
            }
            return .array(items)
        case .mapping(let mapping):
            var o: [String: TemplatedValue] = [:]
            for (k, v) in mapping {
                guard case .scalar(let ks) = k else { continue }
                guard let c = self.compileTemplates(v, reader: reader, what: what) else { return nil }
                o[ks.string] = c
            }
            return .object(o)
        case .alias:
            return .literal(reader.json(node))
        }
    }
}
