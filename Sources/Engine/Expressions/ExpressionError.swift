/// Why an expression or template could not be parsed or evaluated, and where.
///
/// `offset` counts Unicode scalars (code points, what YAML calls characters) from the start of the
/// template string the expression came from, so a loader can turn it into `line:column` inside the
/// workflow file. `column` is the 1-based position inside `source` itself and is what `description` shows.
///
/// Messages never contain runtime values (which could be secrets), only type names, names written in the
/// expression and limits.
public struct ExpressionError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong, e.g. `unknown function 'lenn' (did you mean 'len'?)`.
    public let message: String
    /// The expression text (between `{{` and `}}`, trimmed), or the whole template for template syntax errors.
    public let source: String
    /// 0-based offset, in Unicode scalars, of the problem in the template string.
    public let offset: Int
    /// 1-based column of the problem inside `source`.
    public let column: Int
    /// Whether `source` is a whole template (an unclosed `{{`) rather than one expression.
    public let inTemplate: Bool
    /// Where in a `with:` tree the failing string sits (object keys and array indices), outermost first.
    /// Empty for a lone template or expression.
    public internal(set) var path: [String]

    /// Makes an error; `column` is 1-based inside `source`, `offset` is 0-based inside the template string.
    public init(
        message: String,
        source: String,
        offset: Int,
        column: Int,
        inTemplate: Bool = false,
        path: [String] = []
    ) {
        self.message = message
        self.source = source
        self.offset = offset
        self.column = column
        self.inTemplate = inTemplate
        self.path = path
    }

    /// `in expression 'steps.a.output +': expected a value at column 17`.
    public var description: String {
        let kind = self.inTemplate ? "template" : "expression"
        return "in \(kind) '\(Self.excerpt(self.source))': \(self.message) at column \(self.column)"
    }

    /// Long sources are shortened so one bad template in a big email body does not flood the log.
    static func excerpt(_ text: String) -> String {
        let limit = 120
        let scalars = text.unicodeScalars
        guard scalars.count > limit else { return text }
        var short = String.UnicodeScalarView()
        short.append(contentsOf: scalars.prefix(limit))
        return String(short) + "…"
    }

    /// The same error located inside a `with:` tree under `component`.
    func nested(in component: String) -> ExpressionError {
        var copy = self
        copy.path.insert(component, at: 0)
        return copy
    }
}
