/// Recursive-descent parser for the expression language.
///
/// Precedence, loosest first: `?:`, `??`, `||`, `&&`, `== !=`, `< <= > >= in`, `+ -`, `* / %`,
/// unary `! -`, then postfix `.name`, `[expr]` and calls. Every construct that recurses (brackets,
/// calls, list and object literals, unary operators, ternary branches) counts towards `maxDepth`, so
/// input like `((((...` is refused with an error long before the stack is at risk.
struct ExpressionParser {
    private let tokens: [ExpressionToken]
    private let source: ExpressionSource
    private let limits: ExpressionLimits
    private var index = 0
    private var depth = 0

    init(tokens: [ExpressionToken], source: ExpressionSource, limits: ExpressionLimits) {
        self.tokens = tokens
        self.source = source
        self.limits = limits
    }

    /// Parses the whole token list as one expression.
    mutating func parseAll() throws(ExpressionError) -> ExpressionNode {
        if self.current.kind == .end { throw self.source.error("empty expression", at: 0) }
        // The outermost level is not nesting: `maxDepth` brackets (or calls, unary operators, ternaries) may
        // enclose the innermost term, and one more is refused.
        let node = try self.conditional()
        guard self.current.kind == .end else {
            throw self.source.error(
                "expected an operator or the end of the expression, found \(self.current.spelling)",
                at: self.current.offset
            )
        }
        return node
    }

    private var current: ExpressionToken { self.tokens[self.index] }

    private mutating func advance() { if self.index < self.tokens.count - 1 { self.index += 1 } }

    private func isSymbol(_ symbol: ExpressionToken.Symbol) -> Bool { self.current.kind == .symbol(symbol) }

    private mutating func expect(_ symbol: ExpressionToken.Symbol, _ context: String) throws(ExpressionError) {
        guard self.isSymbol(symbol) else {
            throw self.source.error(
                "expected '\(symbol.rawValue)' \(context), found \(self.current.spelling)",
                at: self.current.offset
            )
        }
        self.advance()
    }

    private mutating func enter(at offset: Int) throws(ExpressionError) {
        self.depth += 1
        if self.depth > self.limits.maxDepth {
            throw self.source.error("expression nested too deeply (limit \(self.limits.maxDepth))", at: offset)
        }
    }

    /// One full expression; `opener` is the bracket that started this nesting level, for the depth error.
    private mutating func expression(openedAt opener: Int? = nil) throws(ExpressionError) -> ExpressionNode {
        try self.enter(at: opener ?? self.current.offset)
        defer { self.depth -= 1 }
        return try self.conditional()
    }

    private mutating func conditional() throws(ExpressionError) -> ExpressionNode {
        let condition = try self.binary(minimumPrecedence: 1)
        guard self.isSymbol(.question) else { return condition }
        let offset = self.current.offset
        self.advance()
        let then = try self.expression()
        try self.expect(.colon, "between the branches of '?:'")
        let otherwise = try self.expression()
        return ExpressionNode(kind: .conditional(condition, then, otherwise), offset: offset)
    }

    /// The binary operator at the current token, if any.
    private var currentOperator: ExpressionNode.BinaryOperator? {
        switch self.current.kind {
        case .identifier("in"): return .in
        case .symbol(let symbol):
            switch symbol {
            case .questionQuestion: return .coalesce
            case .pipePipe: return .or
            case .ampersandAmpersand: return .and
            case .equalEqual: return .equal
            case .bangEqual: return .notEqual
            case .less: return .less
            case .lessEqual: return .lessOrEqual
            case .greater: return .greater
            case .greaterEqual: return .greaterOrEqual
            case .plus: return .add
            case .minus: return .subtract
            case .star: return .multiply
            case .slash: return .divide
            case .percent: return .remainder
            default: return nil
            }
        default: return nil
        }
    }

    /// Parses one precedence level as a flat chain. Levels recurse at most 7 frames deep per nesting level.
    private mutating func binary(minimumPrecedence level: Int) throws(ExpressionError) -> ExpressionNode {
        if level > 7 { return try self.unary() }
        let first = try self.binary(minimumPrecedence: level + 1)
        var links: [ExpressionNode.ChainLink] = []
        while let op = self.currentOperator, op.precedence == level {
            let offset = self.current.offset
            self.advance()
            let operand = try self.binary(minimumPrecedence: level + 1)
            links.append(ExpressionNode.ChainLink(op: op, operand: operand, offset: offset))
        }
        if links.isEmpty { return first }
        return ExpressionNode(kind: .chain(first, links), offset: first.offset)
    }

    private mutating func unary() throws(ExpressionError) -> ExpressionNode {
        let offset = self.current.offset
        let op: ExpressionNode.UnaryOperator
        switch self.current.kind {
        case .symbol(.bang): op = .not
        case .symbol(.minus): op = .negate
        default: return try self.postfix()
        }
        self.advance()
        try self.enter(at: offset)
        defer { self.depth -= 1 }
        let operand = try self.unary()
        // `-2` is a literal, so printing and re-parsing a negative number gives the same tree.
        // Zero stays positive so that no literal -0 exists (it would print as "0").
        if op == .negate, case .literal(.number(let n)) = operand.kind {
            return ExpressionNode(kind: .literal(.number(n == 0 ? 0 : -n)), offset: offset)
        }
        return ExpressionNode(kind: .unary(op, operand), offset: offset)
    }

    private mutating func postfix() throws(ExpressionError) -> ExpressionNode {
        let base = try self.primary()
        var accessors: [ExpressionNode.Accessor] = []
        while true {
            let offset = self.current.offset
            if self.isSymbol(.dot) {
                self.advance()
                guard case .identifier(let name) = self.current.kind else {
                    throw self.source.error(
                        "expected a name after '.', found \(self.current.spelling)"
                            + " (use [...] for list positions and other keys)",
                        at: self.current.offset
                    )
                }
                self.advance()
                accessors.append(ExpressionNode.Accessor(kind: .member(name), offset: offset))
            } else if self.isSymbol(.leftBracket) {
                self.advance()
                let key = try self.expression(openedAt: offset)
                try self.expect(.rightBracket, "to close '['")
                accessors.append(ExpressionNode.Accessor(kind: .index(key), offset: offset))
            } else if self.isSymbol(.leftParen) {
                throw self.source.error("only a function name can be called", at: offset)
            } else {
                break
            }
        }
        if accessors.isEmpty { return base }
        return ExpressionNode(kind: .access(base, accessors), offset: base.offset)
    }

    private mutating func primary() throws(ExpressionError) -> ExpressionNode {
        let token = self.current
        switch token.kind {
        case .number(let n):
            self.advance()
            return ExpressionNode(kind: .literal(.number(n)), offset: token.offset)
        case .string(let s):
            self.advance()
            return ExpressionNode(kind: .literal(.string(s)), offset: token.offset)
        case .identifier(let name):
            self.advance()
            switch name {
            case "true": return ExpressionNode(kind: .literal(.bool(true)), offset: token.offset)
            case "false": return ExpressionNode(kind: .literal(.bool(false)), offset: token.offset)
            case "null": return ExpressionNode(kind: .literal(.null), offset: token.offset)
            case "in": throw self.source.error("expected a value, found 'in'", at: token.offset)
            default: break
            }
            if self.isSymbol(.leftParen) { return try self.call(name, at: token.offset) }
            return ExpressionNode(kind: .name(name), offset: token.offset)
        case .symbol(.leftParen):
            self.advance()
            let inner = try self.expression(openedAt: token.offset)
            try self.expect(.rightParen, "to close '('")
            return inner
        case .symbol(.leftBracket):
            return try self.list()
        case .symbol(.leftBrace):
            return try self.object()
        case .end:
            throw self.source.error("expected a value", at: token.offset)
        case .symbol:
            throw self.source.error("expected a value, found \(token.spelling)", at: token.offset)
        }
    }

    private mutating func call(_ name: String, at offset: Int) throws(ExpressionError) -> ExpressionNode {
        self.advance()
        var arguments: [ExpressionNode] = []
        if !self.isSymbol(.rightParen) {
            while true {
                arguments.append(try self.expression(openedAt: offset))
                if self.isSymbol(.comma) {
                    self.advance()
                    continue
                }
                try self.expect(.rightParen, "after the arguments of '\(name)'")
                break
            }
        } else {
            self.advance()
        }
        return ExpressionNode(kind: .call(name, arguments), offset: offset)
    }

    private mutating func list() throws(ExpressionError) -> ExpressionNode {
        let offset = self.current.offset
        self.advance()
        var elements: [ExpressionNode] = []
        // A trailing comma is allowed, as in YAML flow lists.
        while !self.isSymbol(.rightBracket) {
            elements.append(try self.expression(openedAt: offset))
            if self.isSymbol(.comma) {
                self.advance()
            } else {
                try self.expect(.rightBracket, "or ',' in a list")
                return ExpressionNode(kind: .list(elements), offset: offset)
            }
        }
        self.advance()
        return ExpressionNode(kind: .list(elements), offset: offset)
    }

    private mutating func object() throws(ExpressionError) -> ExpressionNode {
        let offset = self.current.offset
        self.advance()
        var entries: [ExpressionNode.ObjectEntry] = []
        var seen: Set<String> = []
        while !self.isSymbol(.rightBrace) {
            let keyToken = self.current
            let key: String
            switch keyToken.kind {
            case .identifier(let name): key = name
            case .string(let s): key = s
            default:
                throw self.source.error(
                    "expected an object key (a name or a quoted string), found \(keyToken.spelling)",
                    at: keyToken.offset
                )
            }
            self.advance()
            guard seen.insert(key).inserted else {
                throw self.source.error("duplicate key '\(key)' in an object", at: keyToken.offset)
            }
            try self.expect(.colon, "after the object key '\(key)'")
            entries.append(ExpressionNode.ObjectEntry(key: key, value: try self.expression(openedAt: offset)))
            if self.isSymbol(.comma) {
                self.advance()
            } else {
                try self.expect(.rightBrace, "or ',' in an object")
                return ExpressionNode(kind: .object(entries), offset: offset)
            }
        }
        self.advance()
        return ExpressionNode(kind: .object(entries), offset: offset)
    }
}
