/// Whole-graph checks once every step parsed: references, branches, cycles, and expression references.
struct GraphChecker {
    let definition: WorkflowDefinition
    let reader: NodeReader
    let knownSecrets: Set<String>?

    func check() {
        let ids = self.definition.stepOrder
        for id in ids {
            for ref in self.reader.references[id] ?? [] where self.definition.steps[ref.id] == nil {
                let hint = DidYouMean.suggest(ref.id, from: ids).map { " (did you mean '\($0)'?)" } ?? ""
                let verb = ref.role == "needs" ? "needs" : "names in '\(ref.role)'"
                self.reader.error(at: ref.location, "step '\(id)' \(verb) unknown step '\(ref.id)'\(hint)")
            }
            for ref in self.reader.references[id] ?? [] where ref.id == id {
                self.reader.error(at: ref.location, "step '\(id)' names itself in '\(ref.role)'")
            }
        }
        guard self.reader.diagnostics.isEmpty else { return }
        if let cycle = self.findCycle() {
            let step = self.definition.steps[cycle[0]]!
            self.reader.error(at: step.location, "steps form a cycle: \(cycle.joined(separator: " -> "))")
        }
        self.checkExpressions()
    }

    /// Edges from a step to the steps that must settle before it: `needs`, plus the condition step for
    /// `then`/`else` targets and the failing step for `on_error` handlers.
    static func prerequisites(of definition: WorkflowDefinition) -> [String: [String]] {
        var edges: [String: [String]] = [:]
        for (id, step) in definition.steps {
            edges[id, default: []].append(contentsOf: step.needs)
            for target in step.thenSteps + step.elseSteps { edges[target, default: []].append(id) }
            if case .handlers(let handlers) = step.onError {
                for h in handlers { edges[h, default: []].append(id) }
            }
        }
        return edges
    }

    private func findCycle() -> [String]? {
        let edges = Self.prerequisites(of: self.definition)
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var stack: [String] = []
        func visit(_ id: String) -> [String]? {
            state[id] = 1
            stack.append(id)
            for next in (edges[id] ?? []).sorted() {
                if state[next] == 1, let start = stack.firstIndex(of: next) {
                    return Array(stack[start...]) + [next]
                }
                if state[next] == nil, let found = visit(next) { return found }
            }
            stack.removeLast()
            state[id] = 2
            return nil
        }
        for id in self.definition.stepOrder where state[id] == nil {
            if let cycle = visit(id) { return Array(cycle.reversed()) }
        }
        return nil
    }

    /// `steps.<id>` must name a step; `secrets.<NAME>` must name a known secret.
    private func checkExpressions() {
        let ids = self.definition.stepOrder
        for id in ids {
            let step = self.definition.steps[id]!
            var expressions = step.with.expressions + (step.condition?.expressions ?? [])
            if let body = step.body?.step { expressions += body.with.expressions + (body.condition?.expressions ?? []) }
            for expression in expressions {
                self.checkSecrets(expression, at: step.location, owner: "step '\(id)'")
            }
        }
        // Each read is reported where it is written, inside the string, like other expression errors.
        for read in self.reader.stepReads where self.definition.steps[read.id] == nil {
            let hint = DidYouMean.suggest(read.id, from: ids).map { " (did you mean '\($0)'?)" } ?? ""
            self.reader.error(at: read.location, "step '\(read.step)' reads 'steps.\(read.id)', but there is no step '\(read.id)'\(hint)")
        }
        for trigger in self.definition.triggers {
            guard case .webhook(let hook) = trigger else { continue }
            for t in (hook.verify?.secrets ?? []) + [hook.filter, hook.dedupe].compactMap({ $0 }) {
                for e in t.expressions { self.checkSecrets(e, at: hook.location, owner: "webhook '\(hook.path)'") }
            }
        }
    }

    private func checkSecrets(_ expression: Expression, at location: SourceLocation, owner: String) {
        guard let known = self.knownSecrets else { return }
        for name in expression.referencedSecrets.sorted() where !known.contains(name) {
            let hint = DidYouMean.suggest(name, from: known.sorted()).map { " (did you mean '\($0)'?)" } ?? ""
            self.reader.error(at: location, "\(owner) uses unknown secret '\(name)'\(hint); add it to the secrets file or credentials directory")
        }
    }
}
