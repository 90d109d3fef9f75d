extension Expression: CustomStringConvertible {
    /// The expression text as written.
    public var description: String { self.source.text }

    /// A canonical, fully bracketed rendering: every operator chain is wrapped in parentheses and strings
    /// use single quotes. Parsing it again yields the same tree, which the tests check on random input.
    var canonicalText: String { self.root.printed }
}

extension ExpressionNode {
    /// See `Expression.canonicalText`.
    var printed: String {
        switch self.kind {
        case .literal(let value): return Self.print(literal: value)
        case .list(let elements): return "[" + elements.map(\.printed).joined(separator: ", ") + "]"
        case .object(let entries):
            return "{" + entries.map { Self.quote($0.key) + ": " + $0.value.printed }.joined(separator: ", ") + "}"
        case .name(let name): return name
        case .access(let base, let accessors):
            var out = base.printed
            for accessor in accessors {
                switch accessor.kind {
                case .member(let name): out += "." + name
                case .index(let key): out += "[" + key.printed + "]"
                }
            }
            return out
        case .unary(let op, let operand): return op.rawValue + "(" + operand.printed + ")"
        case .chain(let first, let links):
            var out = "(" + first.printed
            for link in links { out += " " + link.op.rawValue + " " + link.operand.printed }
            return out + ")"
        case .conditional(let condition, let then, let otherwise):
            return "(" + condition.printed + " ? " + then.printed + " : " + otherwise.printed + ")"
        case .call(let name, let arguments): return name + "(" + arguments.map(\.printed).joined(separator: ", ") + ")"
        }
    }

    private static func print(literal value: JSONValue) -> String {
        switch value {
        case .string(let s): return self.quote(s)
        case .number(let n) where n < 0: return "(" + JSONValue.format(n) + ")"
        case .array(let elements): return "[" + elements.map { self.print(literal: $0) }.joined(separator: ", ") + "]"
        case .object(let object):
            return "{"
                + object.keys.sorted().map { self.quote($0) + ": " + self.print(literal: object[$0] ?? .null) }
                .joined(separator: ", ") + "}"
        default: return value.jsonString()
        }
    }

    /// A single-quoted string literal that the lexer reads back to the same text.
    static func quote(_ text: String) -> String {
        var out = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "'": out += "\\'"
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20 || c.value == 0x7F: out += "\\u{" + String(c.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }
}
