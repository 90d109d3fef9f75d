/// A lexical token of the expression language, with its position in the source (Unicode scalars).
struct ExpressionToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case number(Double)
        case string(String)
        /// Names, including the words `true`, `false`, `null` and `in`, which the parser interprets.
        case identifier(String)
        case symbol(Symbol)
        case end
    }

    enum Symbol: String, Sendable, Hashable {
        case leftParen = "("
        case rightParen = ")"
        case leftBracket = "["
        case rightBracket = "]"
        case leftBrace = "{"
        case rightBrace = "}"
        case comma = ","
        case colon = ":"
        case dot = "."
        case question = "?"
        case questionQuestion = "??"
        case plus = "+"
        case minus = "-"
        case star = "*"
        case slash = "/"
        case percent = "%"
        case bang = "!"
        case equalEqual = "=="
        case bangEqual = "!="
        case less = "<"
        case lessEqual = "<="
        case greater = ">"
        case greaterEqual = ">="
        case ampersandAmpersand = "&&"
        case pipePipe = "||"
    }

    var kind: Kind
    var offset: Int

    /// How the token reads in a message: `'+'`, `name 'foo'`, `the end of the expression`.
    var spelling: String {
        switch self.kind {
        case .number: "a number"
        case .string: "a string"
        case .identifier(let name): "'\(name)'"
        case .symbol(let symbol): "'\(symbol.rawValue)'"
        case .end: "the end of the expression"
        }
    }
}
