extension ExpressionEvaluator {
    /// Applies a binary operator other than the short-circuiting `&&`, `||` and `??`.
    mutating func apply(
        _ op: ExpressionNode.BinaryOperator,
        _ left: JSONValue,
        _ right: JSONValue,
        at offset: Int
    ) throws(ExpressionError) -> JSONValue {
        switch op {
        case .equal, .notEqual:
            // Deep equality may walk both trees; charge for it so huge values cannot stall the daemon.
            try self.charge(self.walkCost(left), at: offset)
            return .bool((left == right) == (op == .equal))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            return .bool(try self.compare(op, left, right, at: offset))
        case .in:
            return .bool(try self.contains(left, in: right, at: offset))
        case .add:
            return try self.add(left, right, at: offset)
        case .subtract, .multiply, .divide, .remainder:
            guard case .number(let a) = left, case .number(let b) = right else {
                throw self.source.error(
                    "cannot apply '\(op.rawValue)' to \(left.typeName) and \(right.typeName) (expected numbers)",
                    at: offset
                )
            }
            let result: Double
            switch op {
            case .subtract: result = a - b
            case .multiply: result = a * b
            case .divide:
                guard b != 0 else { throw self.source.error("division by zero", at: offset) }
                result = a / b
            default:
                guard b != 0 else { throw self.source.error("division by zero", at: offset) }
                result = a.truncatingRemainder(dividingBy: b)
            }
            guard result.isFinite else {
                throw self.source.error("result of '\(op.rawValue)' is too large", at: offset)
            }
            return .number(result)
        case .and, .or, .coalesce:
            // Handled by the caller, which must not evaluate the right side eagerly.
            return right
        }
    }

    private func compare(
        _ op: ExpressionNode.BinaryOperator,
        _ left: JSONValue,
        _ right: JSONValue,
        at offset: Int
    ) throws(ExpressionError) -> Bool {
        let order: Int
        switch (left, right) {
        case (.number(let a), .number(let b)): order = a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let a), .string(let b)): order = a < b ? -1 : (a == b ? 0 : 1)
        default:
            throw self.source.error(
                "cannot compare \(left.typeName) with \(right.typeName) using '\(op.rawValue)'"
                    + " (expected two numbers or two strings)",
                at: offset
            )
        }
        switch op {
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        default: return order >= 0
        }
    }

    private mutating func contains(_ needle: JSONValue, in haystack: JSONValue, at offset: Int) throws(ExpressionError)
        -> Bool
    {
        switch (needle, haystack) {
        case (_, .array(let elements)):
            try self.charge(self.walkCost(haystack), at: offset)
            return elements.contains(needle)
        case (.string(let part), .string(let whole)):
            try self.charge(Self.shallowCost(haystack), at: offset)
            return part.isEmpty || whole.contains(part)
        case (.string(let key), .object(let object)):
            return object[key] != nil
        case (_, .null):
            // Consistent with missing members being null: nothing is in a missing collection.
            return false
        default:
            throw self.source.error(
                "cannot test \(needle.typeName) 'in' \(haystack.typeName)"
                    + " (expected a list, a string in a string, or a key in an object)",
                at: offset
            )
        }
    }

    private mutating func add(_ left: JSONValue, _ right: JSONValue, at offset: Int) throws(ExpressionError)
        -> JSONValue
    {
        switch (left, right) {
        case (.number(let a), .number(let b)):
            let sum = a + b
            guard sum.isFinite else { throw self.source.error("result of '+' is too large", at: offset) }
            return .number(sum)
        case (.string(let a), .string(let b)):
            return try self.join(a, b, at: offset)
        case (.string(let a), .number), (.string(let a), .bool):
            return try self.join(a, right.interpolated, at: offset)
        case (.number, .string(let b)), (.bool, .string(let b)):
            return try self.join(left.interpolated, b, at: offset)
        case (.array(let a), .array(let b)):
            try self.reserve((a.count + b.count) * 16, at: offset)
            return .array(a + b)
        case (.object(let a), .object(let b)):
            try self.reserve((a.count + b.count) * 32, at: offset)
            return .object(a.merging(b) { _, new in new })
        default:
            throw self.source.error("cannot add \(left.typeName) and \(right.typeName)", at: offset)
        }
    }

    private mutating func join(_ a: String, _ b: String, at offset: Int) throws(ExpressionError) -> JSONValue {
        // Checked before concatenating, so an oversized string is never allocated.
        try self.reserve(a.utf8.count + b.utf8.count, at: offset)
        return .string(a + b)
    }
}
