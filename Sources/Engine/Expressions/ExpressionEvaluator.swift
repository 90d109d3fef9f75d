/// Walks a parsed expression and computes its value, counting steps and bytes built so evaluation
/// stays bounded. One evaluator serves all expressions of a template, so they share one budget.
struct ExpressionEvaluator {
    let scope: ExpressionScope
    /// The expression being evaluated; errors are located in it.
    var source: ExpressionSource
    private(set) var steps = 0
    private(set) var bytesBuilt = 0

    init(scope: ExpressionScope, source: ExpressionSource = ExpressionSource(text: "", baseOffset: 0)) {
        self.scope = scope
        self.source = source
    }

    mutating func evaluate(_ node: ExpressionNode) throws(ExpressionError) -> JSONValue {
        try self.charge(1, at: node.offset)
        switch node.kind {
        case .literal(let value):
            return value
        case .list(let elements):
            var values: [JSONValue] = []
            values.reserveCapacity(elements.count)
            for element in elements { values.append(try self.evaluate(element)) }
            return try self.built(.array(values), at: node.offset)
        case .object(let entries):
            var object: [String: JSONValue] = [:]
            object.reserveCapacity(entries.count)
            for entry in entries { object[entry.key] = try self.evaluate(entry.value) }
            return try self.built(.object(object), at: node.offset)
        case .name(let name):
            return try self.root(name, at: node.offset)
        case .access(let base, let accessors):
            var value = try self.evaluate(base)
            for accessor in accessors { value = try self.access(value, accessor) }
            return value
        case .unary(let op, let operandNode):
            let operand = try self.evaluate(operandNode)
            switch op {
            case .not: return .bool(!operand.isTruthy)
            case .negate:
                guard case .number(let n) = operand else {
                    throw self.source.error("cannot negate a \(operand.typeName) (expected a number)", at: node.offset)
                }
                return .number(-n)
            }
        case .chain(let first, let links):
            var value = try self.evaluate(first)
            for link in links {
                // Short-circuit: the operator's left side already decides, so the right side is not evaluated.
                switch link.op {
                case .and where !value.isTruthy: continue
                case .or where value.isTruthy: continue
                case .coalesce where value != .null: continue
                case .and, .or, .coalesce: value = try self.evaluate(link.operand)
                default:
                    let right = try self.evaluate(link.operand)
                    value = try self.apply(link.op, value, right, at: link.offset)
                }
            }
            return value
        case .conditional(let condition, let then, let otherwise):
            let chosen = try self.evaluate(condition).isTruthy ? then : otherwise
            return try self.evaluate(chosen)
        case .call(let name, let argumentNodes):
            return try self.call(name, argumentNodes, at: node.offset)
        }
    }

    private func root(_ name: String, at offset: Int) throws(ExpressionError) -> JSONValue {
        if let value = self.scope.roots[name] { return value }
        let known = self.scope.roots.keys.sorted()
        var message = "unknown name '\(name)'"
        if self.scope.functions.function(named: name) != nil {
            message += " (to call the function, write '\(name)(...)')"
        } else if let suggestion = DidYouMean.suggest(name, from: known) {
            message += " (did you mean '\(suggestion)'?)"
        } else if !known.isEmpty {
            message += " (available here: \(known.joined(separator: ", ")))"
        }
        throw self.source.error(message, at: offset)
    }

    private mutating func access(_ value: JSONValue, _ accessor: ExpressionNode.Accessor) throws(ExpressionError)
        -> JSONValue
    {
        switch accessor.kind {
        case .member(let name):
            return value[name] ?? .null
        case .index(let keyNode):
            let key = try self.evaluate(keyNode)
            switch (value, key) {
            case (.object(let object), .string(let name)):
                return object[name] ?? .null
            case (.object, _):
                throw self.source.error("an object key must be a string, not \(key.typeName)", at: accessor.offset)
            case (.array(let elements), _):
                guard let i = try self.position(key, count: elements.count, of: "list", at: accessor.offset) else {
                    return .null
                }
                return elements[i]
            case (.string(let text), _):
                let characters = Array(text)
                guard let i = try self.position(key, count: characters.count, of: "string", at: accessor.offset) else {
                    return .null
                }
                return .string(String(characters[i]))
            default:
                // Like a missing member: indexing null (or a number) gives null rather than an error.
                return .null
            }
        }
    }

    /// A list or string position from an index value; negative counts from the end. `nil` when out of range.
    private func position(_ key: JSONValue, count: Int, of kind: String, at offset: Int) throws(ExpressionError) -> Int?
    {
        guard case .number(let n) = key else {
            throw self.source.error("a \(kind) index must be a number, not \(key.typeName)", at: offset)
        }
        guard let i = key.intValue else {
            throw self.source.error("a \(kind) index must be a whole number, not \(JSONValue.format(n))", at: offset)
        }
        let resolved = i < 0 ? count + i : i
        return resolved >= 0 && resolved < count ? resolved : nil
    }

    private mutating func call(_ name: String, _ argumentNodes: [ExpressionNode], at offset: Int)
        throws(ExpressionError) -> JSONValue
    {
        let functions = self.scope.functions
        guard let function = functions.function(named: name) else {
            throw self.source.error(functions.unknownFunctionMessage(name), at: offset)
        }
        var arguments: [JSONValue] = []
        arguments.reserveCapacity(argumentNodes.count)
        for node in argumentNodes { arguments.append(try self.evaluate(node)) }
        // Functions do work proportional to their input; charge for it before running them.
        for argument in arguments {
            try self.charge(function.traversesValues ? self.walkCost(argument) : Self.shallowCost(argument), at: offset)
        }
        let result: JSONValue
        do {
            result = try functions.call(name, arguments, now: self.scope.now, limits: self.scope.limits)
        } catch {
            throw self.source.error(error.message, at: offset)
        }
        return try self.built(result, at: offset)
    }

    // MARK: Budget

    /// Counts `amount` steps and fails once the limit is passed.
    mutating func charge(_ amount: Int, at offset: Int) throws(ExpressionError) {
        self.steps += amount
        if self.steps > self.scope.limits.maxSteps {
            throw self.source.error("evaluation took too many steps (limit \(self.scope.limits.maxSteps))", at: offset)
        }
    }

    /// Cost of reading a value once: strings per 4 KiB, containers per element.
    static func shallowCost(_ value: JSONValue) -> Int {
        switch value {
        case .string(let s): s.utf8.count / 4096
        case .array(let a): a.count
        case .object(let o): o.count
        default: 0
        }
    }

    /// Cost of walking a whole value tree, counted no further than the remaining budget.
    func walkCost(_ value: JSONValue) -> Int {
        switch value {
        case .array, .object:
            let remaining = max(0, self.scope.limits.maxSteps - self.steps)
            return value.nodeCount(limit: remaining)
        default:
            return Self.shallowCost(value)
        }
    }

    /// Checks a freshly built value against the size limits and adds it to the running total.
    mutating func built(_ value: JSONValue, at offset: Int) throws(ExpressionError) -> JSONValue {
        try self.reserve(value.shallowSize, at: offset)
        return value
    }

    /// Accounts for `size` bytes about to be built.
    mutating func reserve(_ size: Int, at offset: Int) throws(ExpressionError) {
        let limits = self.scope.limits
        if size > limits.maxResultBytes {
            throw self.source.error("result too large (more than \(limits.maxResultBytes) bytes)", at: offset)
        }
        self.bytesBuilt += size
        if self.bytesBuilt > limits.maxTotalBytes {
            throw self.source.error(
                "evaluation built too much data (more than \(limits.maxTotalBytes) bytes in total)",
                at: offset
            )
        }
    }
}
