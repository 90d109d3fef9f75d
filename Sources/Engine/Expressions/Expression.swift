/// One parsed expression: the text between `{{` and `}}`.
///
/// Semantics in brief:
/// - Missing members are `null`, never errors: `trigger.body.missing.deeper` is `null`.
///   An unknown root name (`trigerr.body`) is an error.
/// - `==`/`!=` compare structurally; values of different types are simply unequal.
///   `<`, `<=`, `>`, `>=` need two numbers or two strings, anything else is an error.
/// - `&&` and `||` short-circuit and return the operand that decided, as in JavaScript:
///   `null || 'x'` is `'x'`, `0 && f()` is `0`. Truthiness is `JSONValue.isTruthy`.
/// - `a ?? b` is `b` only when `a` is `null`.
/// - `+` adds numbers, concatenates lists, merges objects (right wins) and joins strings; a string
///   joined with a number or bool uses its text (`'n=' + 2` is `'n=2'`).
/// - Division or remainder by zero is an error.
public struct Expression: Sendable, Hashable {
    let source: ExpressionSource
    let root: ExpressionNode

    /// The expression text this was parsed from (trimmed).
    public var text: String { self.source.text }

    /// Step ids read as `steps.<id>` or `steps['id']`.
    public let referencedStepIDs: Set<String>
    /// Secret names read as `secrets.<NAME>` or `secrets['NAME']`.
    public let referencedSecrets: Set<String>
    /// The first name of every path (`trigger`, `input`, `steps`, ...).
    public let referencedRoots: Set<String>
    /// Names of the functions called.
    public let referencedFunctions: Set<String>

    init(source: ExpressionSource, root: ExpressionNode) {
        self.source = source
        self.root = root
        var references = References()
        references.collect(root)
        self.referencedStepIDs = references.stepIDs
        self.referencedSecrets = references.secrets
        self.referencedRoots = references.roots
        self.referencedFunctions = references.functions
    }

    /// Parses one expression. Function names and argument counts are checked against `functions`,
    /// so `lenn(x)` is refused here, at load time, rather than when a run reaches it.
    public static func parse(
        _ source: String,
        limits: ExpressionLimits = .standard,
        functions: FunctionRegistry = .standard
    ) throws(ExpressionError) -> Expression {
        try self.parse(ExpressionSource(text: source, baseOffset: 0), limits: limits, functions: functions)
    }

    static func parse(
        _ source: ExpressionSource,
        limits: ExpressionLimits,
        functions: FunctionRegistry
    ) throws(ExpressionError) -> Expression {
        let length = source.text.unicodeScalars.count
        guard length <= limits.maxSourceLength else {
            throw source.error("expression is too long (\(length) characters; limit \(limits.maxSourceLength))", at: 0)
        }
        let tokens = try ExpressionLexer.tokenize(source)
        var parser = ExpressionParser(tokens: tokens, source: source, limits: limits)
        let root = try parser.parseAll()
        let expression = Expression(source: source, root: root)
        try expression.checkCalls(root, functions: functions)
        return expression
    }

    /// Evaluates the expression. Errors name the expression and the position of the failing part.
    public func evaluate(in scope: ExpressionScope) throws(ExpressionError) -> JSONValue {
        var evaluator = ExpressionEvaluator(scope: scope, source: self.source)
        return try evaluator.evaluate(self.root)
    }

    /// Unknown functions and wrong argument counts, found without evaluating anything.
    private func checkCalls(_ node: ExpressionNode, functions: FunctionRegistry) throws(ExpressionError) {
        var failure: ExpressionError?
        node.visit { node in
            guard failure == nil, case .call(let name, let arguments) = node.kind else { return }
            if let problem = functions.problem(calling: name, argumentCount: arguments.count) {
                failure = self.source.error(problem, at: node.offset)
            }
        }
        if let failure { throw failure }
    }
}

extension ExpressionNode {
    /// Calls `body` on this node and every node below it, parents first.
    func visit(_ body: (ExpressionNode) -> Void) {
        body(self)
        switch self.kind {
        case .literal, .name: break
        case .list(let elements): for element in elements { element.visit(body) }
        case .object(let entries): for entry in entries { entry.value.visit(body) }
        case .access(let base, let accessors):
            base.visit(body)
            for accessor in accessors { if case .index(let key) = accessor.kind { key.visit(body) } }
        case .unary(_, let operand): operand.visit(body)
        case .chain(let first, let links):
            first.visit(body)
            for link in links { link.operand.visit(body) }
        case .conditional(let a, let b, let c):
            a.visit(body)
            b.visit(body)
            c.visit(body)
        case .call(_, let arguments): for argument in arguments { argument.visit(body) }
        }
    }
}

/// Collects what an expression reads, for load-time checks (unknown steps, missing secrets).
private struct References {
    var stepIDs: Set<String> = []
    var secrets: Set<String> = []
    var roots: Set<String> = []
    var functions: Set<String> = []

    mutating func collect(_ root: ExpressionNode) {
        root.visit { node in
            switch node.kind {
            case .name(let name): self.roots.insert(name)
            case .call(let name, _): self.functions.insert(name)
            case .access(let base, let accessors):
                guard case .name(let name) = base.kind, let first = accessors.first else { return }
                let key: String?
                switch first.kind {
                case .member(let member): key = member
                case .index(let index): key = index.kind.literalString
                }
                guard let key else { return }
                if name == "steps" { self.stepIDs.insert(key) }
                if name == "secrets" { self.secrets.insert(key) }
            default: break
            }
        }
    }
}

extension ExpressionNode.Kind {
    fileprivate var literalString: String? {
        if case .literal(.string(let s)) = self { return s }
        return nil
    }
}
