import Engine
import Foundation

/// One mailbox: `ops@example.org` or `Ops Team <ops@example.org>`.
struct MailAddress: Sendable, Equatable {
    var name: String?
    var address: String

    /// Parses `text`, refusing what SMTP could not carry (naming the field it came from).
    static func parse(_ text: String, field: String) throws -> MailAddress {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var name: String?
        var address = trimmed
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var display = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            if display.count >= 2, display.hasPrefix("\""), display.hasSuffix("\"") {
                display = String(display.dropFirst().dropLast())
            }
            name = display.isEmpty ? nil : display
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        // Non-ASCII addresses would need SMTPUTF8, which is not offered; specials would break the envelope.
        let specials = "<>()[],;:\\\"".unicodeScalars
        let usable =
            parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && address.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0.value != 0x7F && !specials.contains($0) }
        guard usable else {
            throw StepFailure("'with.\(field)': '\(text)' is not an e-mail address such as ops@example.org", retryable: false)
        }
        if let name, name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw StepFailure("'with.\(field)': the name in '\(text)' has a control character", retryable: false)
        }
        return MailAddress(name: name, address: address)
    }

    /// A list field: one address, a comma-separated string, or a list of strings.
    static func list(_ value: JSONValue?, field: String) throws -> [MailAddress] {
        let items: [String]
        switch value ?? .null {
        case .null: items = []
        case .string(let text): items = Self.splitList(text)
        case .array(let values):
            items = try values.map {
                guard let text = $0.stringValue else {
                    throw StepFailure("'with.\(field)' must be a list of e-mail addresses", retryable: false)
                }
                return text
            }
        case let other:
            throw StepFailure("'with.\(field)' must be an address or a list of addresses, not \(other.typeName)", retryable: false)
        }
        return try items.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { try self.parse($0, field: field) }
    }

    /// Splits on commas outside quotes and angle brackets (`"Doe, Jane" <j@x>, ops@x`).
    private static func splitList(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var quoted = false
        var angled = false
        for character in text {
            switch character {
            case "\"": quoted.toggle()
            case "<" where !quoted: angled = true
            case ">" where !quoted: angled = false
            case "," where !quoted && !angled:
                items.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        items.append(current)
        return items
    }

    /// The header form: the name quoted or RFC 2047-encoded as needed, then `<address>`.
    var headerValue: String {
        guard let name else { return self.address }
        return "\(MailEncoding.phrase(name)) <\(self.address)>"
    }

    /// The part after `@`, for Message-ID.
    var domain: String { String(self.address.split(separator: "@").last ?? "localhost") }
}
