/// A piece of the expression text with the 1-based column where it starts, so errors can point at it.
struct CronToken: Sendable {
    let chars: [Character]
    let column: Int

    var text: String { String(self.chars) }
    var isEmpty: Bool { self.chars.isEmpty }
    var count: Int { self.chars.count }

    /// The characters in `range` (offsets into this token), keeping their columns.
    func piece(_ range: Range<Int>) -> CronToken {
        CronToken(chars: Array(self.chars[range]), column: self.column + range.lowerBound)
    }

    /// Pieces between occurrences of `separator`, including empty ones (`"1,,2"` gives three).
    func split(on separator: Character) -> [CronToken] {
        var pieces: [CronToken] = []
        var start = 0
        for (offset, character) in self.chars.enumerated() where character == separator {
            pieces.append(self.piece(start..<offset))
            start = offset + 1
        }
        pieces.append(self.piece(start..<self.chars.count))
        return pieces
    }

    func firstOffset(of character: Character) -> Int? {
        self.chars.firstIndex(of: character)
    }

    /// The token as a non-negative decimal number, or nil when it is anything else (or absurdly long).
    var number: Int? {
        guard !self.chars.isEmpty, self.chars.count <= 9, self.chars.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        return Int(self.text)
    }

    /// Splits text into whitespace-separated words with their columns.
    static func words(of text: String) -> [CronToken] {
        var words: [CronToken] = []
        var current: [Character] = []
        var start = 0
        for (offset, character) in text.enumerated() {
            if character.isWhitespace {
                if !current.isEmpty { words.append(CronToken(chars: current, column: start + 1)) }
                current = []
            } else {
                if current.isEmpty { start = offset }
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(CronToken(chars: current, column: start + 1)) }
        return words
    }
}
