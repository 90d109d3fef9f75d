/// A string that may contain `{{ expr }}` parts, such as `"Issue #{{ trigger.body.issue.number }}"`.
///
/// A template that is exactly one `{{ expr }}` (spaces around it allowed) evaluates to the expression's
/// value with its type kept: a number stays a number, a list a list. Any other template evaluates to
/// a string: literal text plus each value's `JSONValue.interpolated` text (strings as-is, null as
/// nothing, other values as compact JSON). To write a literal `{{`, use `{{ '{{' }}`.
public struct Template: Sendable, Hashable {
    enum Part: Sendable, Hashable {
        case text(String)
        case expression(Expression)
    }

    /// The template as written.
    public let text: String
    let parts: [Part]

    /// Whether the template has no `{{ }}` parts, so it always evaluates to `text`.
    public var isLiteral: Bool { self.expressions.isEmpty }

    /// The expressions in order of appearance.
    public var expressions: [Expression] {
        self.parts.compactMap { if case .expression(let e) = $0 { e } else { nil } }
    }

    /// The one expression whose value is returned unchanged, if the template is exactly `{{ expr }}`.
    var soleExpression: Expression? {
        var found: Expression?
        for part in self.parts {
            switch part {
            case .text(let t): if !t.allSatisfy(\.isWhitespace) { return nil }
            case .expression(let e):
                if found != nil { return nil }
                found = e
            }
        }
        return found
    }

    /// Parses a template. Each expression is limited by `limits` and checked against `functions`.
    /// Error offsets count Unicode scalars from the start of `text`.
    public static func parse(
        _ text: String,
        limits: ExpressionLimits = .standard,
        functions: FunctionRegistry = .standard
    ) throws(ExpressionError) -> Template {
        Template(text: text, parts: try TemplateScanner(text: text, limits: limits, functions: functions).parts())
    }

    /// Evaluates the template; see the type's documentation for how the result is typed.
    public func evaluate(in scope: ExpressionScope) throws(ExpressionError) -> JSONValue {
        var evaluator = ExpressionEvaluator(scope: scope)
        return try self.evaluate(with: &evaluator)
    }

    /// Evaluates with a shared evaluator, so the templates of one `with:` block share one budget.
    func evaluate(with evaluator: inout ExpressionEvaluator) throws(ExpressionError) -> JSONValue {
        if self.isLiteral { return .string(self.text) }
        if let sole = self.soleExpression {
            evaluator.source = sole.source
            return try evaluator.evaluate(sole.root)
        }
        var out = ""
        for part in self.parts {
            switch part {
            case .text(let t):
                out += t
            case .expression(let expression):
                evaluator.source = expression.source
                let value = try evaluator.evaluate(expression.root)
                let limit = max(0, evaluator.scope.limits.maxResultBytes - out.utf8.count)
                // Lists and objects print as JSON: measure first so a huge value is refused, not printed.
                let size = value.stringValue.map { $0.utf8.count } ?? value.jsonLength(limit: limit)
                guard let size, size <= limit else {
                    throw expression.source.error(
                        "result too large (more than \(evaluator.scope.limits.maxResultBytes) bytes)",
                        at: 0
                    )
                }
                let piece = value.interpolated
                try evaluator.reserve(piece.utf8.count, at: 0)
                out += piece
            }
        }
        if out.utf8.count > evaluator.scope.limits.maxResultBytes {
            throw ExpressionError(
                message: "result too large (more than \(evaluator.scope.limits.maxResultBytes) bytes)",
                source: self.text,
                offset: 0,
                column: 1,
                inTemplate: true
            )
        }
        return .string(out)
    }
}

/// Splits template text into literal text and `{{ }}` expressions.
private struct TemplateScanner {
    let text: String
    let scalars: [Unicode.Scalar]
    let limits: ExpressionLimits
    let functions: FunctionRegistry

    init(text: String, limits: ExpressionLimits, functions: FunctionRegistry) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
        self.limits = limits
        self.functions = functions
    }

    func parts() throws(ExpressionError) -> [Template.Part] {
        var parts: [Template.Part] = []
        var literalStart = 0
        var i = 0
        while i + 1 < self.scalars.count {
            guard self.scalars[i] == "{", self.scalars[i + 1] == "{" else {
                i += 1
                continue
            }
            if literalStart < i { parts.append(.text(self.string(literalStart..<i))) }
            let end = try self.closing(from: i + 2, opening: i)
            parts.append(.expression(try self.expression(in: (i + 2)..<end)))
            i = end + 2
            literalStart = i
        }
        if literalStart < self.scalars.count { parts.append(.text(self.string(literalStart..<self.scalars.count))) }
        return parts
    }

    /// Index of the `}}` that closes the `{{` at `opening`, skipping braces of object literals and
    /// anything inside quoted strings.
    private func closing(from start: Int, opening: Int) throws(ExpressionError) -> Int {
        var depth = 0
        var quote: Unicode.Scalar?
        var quoteStart = 0
        var j = start
        while j < self.scalars.count {
            let c = self.scalars[j]
            if let q = quote {
                if c == "\\" {
                    j += 2
                    continue
                }
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
                quoteStart = j
            } else if c == "{" {
                depth += 1
            } else if c == "}" {
                if depth == 0, j + 1 < self.scalars.count, self.scalars[j + 1] == "}" { return j }
                depth = max(0, depth - 1)
            }
            j += 1
        }
        if let quote {
            throw self.error("unterminated string (missing closing \(quote))", at: quoteStart)
        }
        throw self.error("unclosed '{{' (expected '}}')", at: opening)
    }

    private func expression(in range: Range<Int>) throws(ExpressionError) -> Expression {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, self.scalars[lower].properties.isWhitespace { lower += 1 }
        while upper > lower, self.scalars[upper - 1].properties.isWhitespace { upper -= 1 }
        let source = ExpressionSource(text: self.string(lower..<upper), baseOffset: lower)
        return try Expression.parse(source, limits: self.limits, functions: self.functions)
    }

    private func string(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: self.scalars[range])
        return String(view)
    }

    private func error(_ message: String, at offset: Int) -> ExpressionError {
        ExpressionError(message: message, source: self.text, offset: offset, column: offset + 1, inTemplate: true)
    }
}
