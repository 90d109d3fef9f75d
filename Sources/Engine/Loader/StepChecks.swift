import Yams

/// Load-time checks of literal `with:` values that only make sense per step type.
enum StepChecks {
    static func check(_ step: inout StepDefinition, entries: [String: NodeReader.Entry], reader: NodeReader, loader: WorkflowLoader) {
        func literal(_ key: String) -> (String, Node)? {
            guard let e = entries[key], case .string(let s) = reader.json(e.value), !s.contains("{{") else { return nil }
            return (s, e.value)
        }
        func oneOf(_ key: String, _ allowed: [String]) {
            guard let (value, node) = literal(key), !allowed.contains(value) else { return }
            let hint = DidYouMean.suggest(value, from: allowed).map { "did you mean '\($0)'?" }
                ?? "expected one of: \(allowed.joined(separator: ", "))"
            reader.error(node, "'with.\(key)' of step '\(step.id)' has unknown value '\(value)' (\(hint))")
        }
        switch step.type {
        case "function_call":
            if let (name, node) = literal("function"), !FunctionRegistry.standard.names.contains(name) {
                let hint = DidYouMean.suggest(name, from: FunctionRegistry.standard.names).map { " (did you mean '\($0)'?)" } ?? ""
                reader.error(node, "step '\(step.id)' calls unknown function '\(name)'\(hint)")
            }
        case "inline_code":
            oneOf("language", ["sh", "bash", "python3"])
        case "command":
            if let e = entries["argv"] {
                switch reader.json(e.value) {
                case .array(let items) where !items.isEmpty: break
                case .string(let s) where s.contains("{{"): break
                default: reader.error(e.value, "'with.argv' of step '\(step.id)' must be a non-empty list such as [\"/usr/bin/env\", \"true\"]")
                }
            }
        case "llm_call":
            oneOf("provider", ["openai", "anthropic"])
        case "http_request":
            oneOf("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
        case "wait_for_approval":
            oneOf("on_timeout", ["reject", "approve", "fail"])
            if let e = entries["required"], case .number = reader.json(e.value) {
                _ = reader.int(e.value, what: "'with.required' of step '\(step.id)'", range: 1...100)
            }
        case "wait_for_event":
            oneOf("on_timeout", ["fail", "continue"])
        case "condition":
            if let e = entries["expression"] {
                switch reader.json(e.value) {
                case .string, .bool: break
                default: reader.error(e.value, "'with.expression' of step '\(step.id)' must be an expression such as \"{{ input.n > 3 }}\"")
                }
            }
        case "for_each":
            if let e = entries["concurrency"], case .number = reader.json(e.value) {
                _ = reader.int(e.value, what: "'with.concurrency' of step '\(step.id)'", range: 1...1000)
            }
            if let e = entries["step"],
                let body = loader.readStep(id: step.id, idNode: e.keyNode, node: e.value, reader: reader, inline: true)
            {
                if ["for_each", "wait_for_approval", "wait_for_event", "delay"].contains(body.type) {
                    reader.error(e.value, "the inline step of for_each '\(step.id)' cannot be a \(body.type) step")
                }
                step.body = ForEachBody(step: body)
            }
        default:
            break
        }
    }
}
