/// Splits expression text into tokens. Works on Unicode scalars so offsets match YAML columns.
struct ExpressionLexer {
    private let scalars: [Unicode.Scalar]
    private let source: ExpressionSource
    private var index = 0

    init(source: ExpressionSource) {
        self.source = source
        self.scalars = Array(source.text.unicodeScalars)
    }

    /// All tokens, ending with `.end`.
    static func tokenize(_ source: ExpressionSource) throws(ExpressionError) -> [ExpressionToken] {
        var lexer = ExpressionLexer(source: source)
        var tokens: [ExpressionToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        let i = self.index + ahead
        return i < self.scalars.count ? self.scalars[i] : nil
    }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    private mutating func next() throws(ExpressionError) -> ExpressionToken {
        while let c = self.peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { self.index += 1 }
        let start = self.index
        guard let c = self.peek() else { return ExpressionToken(kind: .end, offset: start) }
        if Self.isIdentifierStart(c) {
            while let d = self.peek(), Self.isIdentifierStart(d) || Self.isDigit(d) { self.index += 1 }
            return ExpressionToken(kind: .identifier(self.text(from: start)), offset: start)
        }
        if Self.isDigit(c) { return try self.number() }
        if c == "'" || c == "\"" { return try self.string(quote: c) }
        return try self.symbol()
    }

    private func text(from start: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: self.scalars[start..<self.index])
        return String(view)
    }

    private mutating func number() throws(ExpressionError) -> ExpressionToken {
        let start = self.index
        while let d = self.peek(), Self.isDigit(d) { self.index += 1 }
        // A '.' is a fraction only when a digit follows, so `1.foo` reports a clear error later.
        if self.peek() == ".", let d = self.peek(1), Self.isDigit(d) {
            self.index += 1
            while let d = self.peek(), Self.isDigit(d) { self.index += 1 }
        }
        if let e = self.peek(), e == "e" || e == "E" {
            var look = 1
            if let sign = self.peek(1), sign == "+" || sign == "-" { look = 2 }
            if let d = self.peek(look), Self.isDigit(d) {
                self.index += look
                while let d = self.peek(), Self.isDigit(d) { self.index += 1 }
            }
        }
        if let after = self.peek(), Self.isIdentifierStart(after) {
            throw self.source.error("unexpected '\(after)' after a number", at: self.index)
        }
        guard let value = Double(self.text(from: start)), value.isFinite else {
            throw self.source.error("number out of range", at: start)
        }
        return ExpressionToken(kind: .number(value), offset: start)
    }

    private mutating func string(quote: Unicode.Scalar) throws(ExpressionError) -> ExpressionToken {
        let start = self.index
        self.index += 1
        var out = String.UnicodeScalarView()
        while true {
            guard let c = self.peek() else {
                throw self.source.error("unterminated string (missing closing \(quote))", at: start)
            }
            self.index += 1
            if c == quote { break }
            guard c == "\\" else {
                out.append(c)
                continue
            }
            let escapeStart = self.index - 1
            guard let e = self.peek() else {
                throw self.source.error("unterminated string (missing closing \(quote))", at: start)
            }
            self.index += 1
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "0": out.append("\u{00}")
            case "\\", "'", "\"", "/": out.append(e)
            case "u": out.append(try self.unicodeEscape(start: escapeStart))
            default:
                throw self.source.error("unknown escape '\\\(e)' in a string", at: escapeStart)
            }
        }
        return ExpressionToken(kind: .string(String(out)), offset: start)
    }

    /// `\uXXXX` (with surrogate pairs) or `\u{X...}`; the index is just after the `u`.
    private mutating func unicodeEscape(start: Int) throws(ExpressionError) -> Unicode.Scalar {
        let bad = self.source.error("bad unicode escape (expected \\uXXXX or \\u{X...})", at: start)
        if self.peek() == "{" {
            self.index += 1
            var value: UInt32 = 0
            var digits = 0
            while let c = self.peek(), c != "}" {
                guard let d = Self.hexValue(c), digits < 6 else { throw bad }
                value = value * 16 + d
                digits += 1
                self.index += 1
            }
            guard self.peek() == "}", digits > 0, let scalar = Unicode.Scalar(value) else { throw bad }
            self.index += 1
            return scalar
        }
        let high = try self.hex4(or: bad)
        if (0xD800..<0xDC00).contains(high) {
            guard self.peek() == "\\", self.peek(1) == "u" else { throw bad }
            self.index += 2
            let low = try self.hex4(or: bad)
            guard (0xDC00..<0xE000).contains(low),
                let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            else { throw bad }
            return scalar
        }
        guard let scalar = Unicode.Scalar(high) else { throw bad }
        return scalar
    }

    private mutating func hex4(or error: ExpressionError) throws(ExpressionError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = self.peek(), let d = Self.hexValue(c) else { throw error }
            value = value * 16 + d
            self.index += 1
        }
        return value
    }

    private static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": c.value - 48
        case "a"..."f": c.value - 87
        case "A"..."F": c.value - 55
        default: nil
        }
    }

    private mutating func symbol() throws(ExpressionError) -> ExpressionToken {
        let start = self.index
        let c = self.scalars[start]
        let two: String = {
            var view = String.UnicodeScalarView()
            view.append(c)
            if let d = self.peek(1) { view.append(d) }
            return String(view)
        }()
        if two.unicodeScalars.count == 2, let symbol = ExpressionToken.Symbol(rawValue: two) {
            self.index += 2
            return ExpressionToken(kind: .symbol(symbol), offset: start)
        }
        if let symbol = ExpressionToken.Symbol(rawValue: String(c)) {
            self.index += 1
            return ExpressionToken(kind: .symbol(symbol), offset: start)
        }
        switch c {
        case "=": throw self.source.error("unexpected '=' (did you mean '=='?)", at: start)
        case "&": throw self.source.error("unexpected '&' (did you mean '&&'?)", at: start)
        case "|": throw self.source.error("unexpected '|' (did you mean '||'?)", at: start)
        default:
            let shown =
                c.properties.isWhitespace || c.value < 0x20
                ? "U+\(String(c.value, radix: 16, uppercase: true))" : String(c)
            throw self.source.error("unexpected character '\(shown)'", at: start)
        }
    }
}
