import Foundation

/// A strict RFC 8259 reader producing `JSONValue`, with byte offsets in its errors and a nesting bound.
struct JSONReader {
    /// Deeper documents are refused rather than risking the stack.
    static let maxDepth = 256

    let bytes: [UInt8]
    var index = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func readDocument() throws -> JSONValue {
        self.skipWhitespace()
        let value = try self.readValue()
        self.skipWhitespace()
        guard self.index == self.bytes.count else { throw self.error("unexpected text after the JSON value") }
        return value
    }

    private func error(_ message: String) -> JSONParseError {
        JSONParseError(description: "not valid JSON at byte \(self.index): \(message)", offset: self.index, reason: message)
    }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x09, 0x0A, 0x0D: self.index += 1
            default: return
            }
        }
    }

    private mutating func readValue() throws -> JSONValue {
        guard self.index < self.bytes.count else { throw self.error("unexpected end of input") }
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"): return try self.readObject()
        case UInt8(ascii: "["): return try self.readArray()
        case UInt8(ascii: "\""): return .string(try self.readString())
        case UInt8(ascii: "t"): try self.expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try self.expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try self.expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try self.readNumber()
        default: throw self.error("unexpected character")
        }
    }

    private mutating func expectWord(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard self.index + count <= self.bytes.count else { throw self.error("unexpected end of input") }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for i in 0..<count where self.bytes[self.index + i] != expected[i] {
            throw self.error("unexpected character")
        }
        self.index += count
    }

    private mutating func enter() throws {
        self.depth += 1
        if self.depth > Self.maxDepth { throw self.error("nested deeper than \(Self.maxDepth) levels") }
    }

    private mutating func readObject() throws -> JSONValue {
        try self.enter()
        defer { self.depth -= 1 }
        self.index += 1
        var result: [String: JSONValue] = [:]
        self.skipWhitespace()
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "}") {
            self.index += 1
            return .object(result)
        }
        while true {
            self.skipWhitespace()
            guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\"") else {
                throw self.error("expected a string key")
            }
            let key = try self.readString()
            self.skipWhitespace()
            guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: ":") else {
                throw self.error("expected ':' after an object key")
            }
            self.index += 1
            self.skipWhitespace()
            result[key] = try self.readValue()
            self.skipWhitespace()
            guard self.index < self.bytes.count else { throw self.error("unexpected end of input") }
            if self.bytes[self.index] == UInt8(ascii: ",") {
                self.index += 1
            } else if self.bytes[self.index] == UInt8(ascii: "}") {
                self.index += 1
                return .object(result)
            } else {
                throw self.error("expected ',' or '}'")
            }
        }
    }

    private mutating func readArray() throws -> JSONValue {
        try self.enter()
        defer { self.depth -= 1 }
        self.index += 1
        var result: [JSONValue] = []
        self.skipWhitespace()
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "]") {
            self.index += 1
            return .array(result)
        }
        while true {
            self.skipWhitespace()
            result.append(try self.readValue())
            self.skipWhitespace()
            guard self.index < self.bytes.count else { throw self.error("unexpected end of input") }
            if self.bytes[self.index] == UInt8(ascii: ",") {
                self.index += 1
            } else if self.bytes[self.index] == UInt8(ascii: "]") {
                self.index += 1
                return .array(result)
            } else {
                throw self.error("expected ',' or ']'")
            }
        }
    }

    private mutating func readNumber() throws -> JSONValue {
        let start = self.index
        if self.bytes[self.index] == UInt8(ascii: "-") { self.index += 1 }
        func digits(_ r: inout JSONReader) -> Int {
            let s = r.index
            while r.index < r.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(r.bytes[r.index]) {
                r.index += 1
            }
            return r.index - s
        }
        let intStart = self.index
        let intDigits = digits(&self)
        guard intDigits > 0 else { throw self.error("expected a digit") }
        if intDigits > 1 && self.bytes[intStart] == UInt8(ascii: "0") { throw self.error("leading zero in a number") }
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: ".") {
            self.index += 1
            guard digits(&self) > 0 else { throw self.error("expected a digit after '.'") }
        }
        if self.index < self.bytes.count, self.bytes[self.index] | 0x20 == UInt8(ascii: "e") {
            self.index += 1
            if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "+") || self.bytes[self.index] == UInt8(ascii: "-") {
                self.index += 1
            }
            guard digits(&self) > 0 else { throw self.error("expected a digit in the exponent") }
        }
        let text = String(decoding: self.bytes[start..<self.index], as: UTF8.self)
        guard let value = Double(text) else { throw self.error("number out of range") }
        return .number(value)
    }

    private mutating func readString() throws -> String {
        self.index += 1
        var runStart = self.index
        // Filled only once an escape turns up; a string without one is decoded straight from the input.
        var buffer: [UInt8]?
        while true {
            guard self.index < self.bytes.count else { throw self.error("unterminated string") }
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                let run = self.bytes[runStart..<self.index]
                self.index += 1
                guard var escaped = buffer else { return String(decoding: run, as: UTF8.self) }
                escaped.append(contentsOf: run)
                return String(decoding: escaped, as: UTF8.self)
            }
            if byte < 0x20 { throw self.error("control character in a string") }
            if byte == UInt8(ascii: "\\") {
                var escaped = buffer ?? []
                escaped.append(contentsOf: self.bytes[runStart..<self.index])
                self.index += 1
                try self.readEscape(into: &escaped)
                buffer = escaped
                runStart = self.index
                continue
            }
            self.index += 1
        }
    }

    /// The character after a backslash (at `index`), appended to `buffer` as UTF-8.
    private mutating func readEscape(into buffer: inout [UInt8]) throws {
        guard self.index < self.bytes.count else { throw self.error("unterminated string") }
        let escape = self.bytes[self.index]
        self.index += 1
        switch escape {
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var code = try self.readHex4()
            if (0xD800..<0xDC00).contains(code) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard self.index + 1 < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\\"),
                    self.bytes[self.index + 1] == UInt8(ascii: "u")
                else { throw self.error("unpaired surrogate") }
                self.index += 2
                let low = try self.readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw self.error("unpaired surrogate") }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(code) {
                throw self.error("unpaired surrogate")
            }
            guard let scalar = Unicode.Scalar(code) else { throw self.error("bad unicode escape") }
            buffer.append(contentsOf: String(Character(scalar)).utf8)
        default: throw self.error("bad escape sequence")
        }
    }

    private mutating func readHex4() throws -> UInt32 {
        guard self.index + 4 <= self.bytes.count else { throw self.error("short unicode escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = self.bytes[self.index]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw self.error("bad hex digit in a unicode escape")
            }
            value = value * 16 + UInt32(digit)
            self.index += 1
        }
        return value
    }
}
