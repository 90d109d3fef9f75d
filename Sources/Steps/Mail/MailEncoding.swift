import Foundation

/// The encodings a MIME message needs: RFC 2047 encoded-words for headers, quoted-printable for
/// bodies, and RFC 5322 dates.
enum MailEncoding {
    /// A display name: as is when it is plain ASCII words, quoted when it has specials, encoded when not ASCII.
    static func phrase(_ text: String) -> String {
        guard text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F }) else {
            // Leaves room on the line for "Cc: " before and " <address>" after a short name.
            return self.encodedWords(text, prefix: 30)
        }
        let atext = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "!#$%&'*+-/=?^_`{|}~ "))
        if text.unicodeScalars.allSatisfy({ atext.contains($0) }) { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// An unstructured header value (Subject) folded to the line limit, as encoded-words when it is not ASCII.
    static func unstructured(_ text: String, name: String) -> String {
        let flat = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\r\n", with: " ")
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        let plain = flat.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F }
        // A plain value that looks like an encoded-word would be decoded by readers: encode it instead.
        guard plain, !flat.contains("=?") else { return self.encodedWords(flat, prefix: name.count + 2) }
        return self.fold(flat, prefix: name.count + 2)
    }

    /// RFC 2047 B-encoded words, never splitting a UTF-8 sequence, joined by folding. `prefix` is the width
    /// already used on the first line (`Subject: `), so that every line stays within 76 characters.
    static func encodedWords(_ text: String, prefix: Int) -> String {
        // "=?UTF-8?B?" + "?=" is 12 characters; base64 writes 4 characters per 3 bytes.
        func capacity(_ used: Int) -> Int { max(3, (76 - used - 12) / 4 * 3) }
        var words: [String] = []
        var chunk: [UInt8] = []
        var limit = capacity(prefix)
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > limit, !chunk.isEmpty {
                words.append(self.word(chunk))
                chunk = []
                limit = capacity(1)
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(self.word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func word(_ bytes: [UInt8]) -> String { "=?UTF-8?B?\(Data(bytes).base64EncodedString())?=" }

    /// Folds at spaces so lines stay within 78 characters where the words allow (a fold is CRLF before a space).
    private static func fold(_ text: String, prefix: Int) -> String {
        var out = ""
        var width = prefix
        for (index, word) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if index == 0 {
                out += word
                width += word.count
            } else if width + 1 + word.count > 78, !word.isEmpty {
                out += "\r\n " + word
                width = 1 + word.count
            } else {
                out += " " + word
                width += 1 + word.count
            }
        }
        return out
    }

    /// Quoted-printable (RFC 2045 §6.7) with CRLF line breaks and lines of at most 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        var out = ""
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            if index > 0 { out += "\r\n" }
            var width = 0
            let bytes = Array(line.utf8)
            for (position, byte) in bytes.enumerated() {
                let last = position == bytes.count - 1
                let literal =
                    (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !last)
                // A dot at the start of a line is encoded too, so no line of the body can end the SMTP data.
                let piece =
                    literal && !(width == 0 && byte == UInt8(ascii: "."))
                    ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
                if width + piece.count > 75 {
                    out += "=\r\n"
                    width = 0
                }
                out += piece
                width += piece.count
            }
        }
        return out
    }

    /// `Tue, 01 Jul 2025 09:30:00 +0000` (RFC 5322 §3.3), always in UTC.
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
