import Engine
import Foundation
import Hummingbird

/// The fields of a submitted console form (`application/x-www-form-urlencoded`).
struct ConsoleForm: Sendable {
    /// The most a console form may send; forms carry a comment or a small JSON document at most.
    static let maxBytes = 256 * 1024

    let fields: [String: String]

    /// Reads and decodes the body of `request`. Throws `EngineError(.invalidInput)` for another content type.
    static func read(_ request: Request) async throws -> ConsoleForm {
        let type = request.headers[.contentType] ?? ""
        guard type.isEmpty || type.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw EngineError(.invalidInput, "console forms are sent as application/x-www-form-urlencoded, not \(type)")
        }
        let buffer = try await request.body.collect(upTo: self.maxBytes)
        return self.parse(String(buffer: buffer))
    }

    /// Decodes `a=1&b=x+y`; a later repeat of a name wins, undecodable text is kept as it came.
    static func parse(_ text: String) -> ConsoleForm {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = self.decode(parts[0])
            fields[name] = parts.count > 1 ? self.decode(parts[1]) : ""
        }
        return ConsoleForm(fields: fields)
    }

    /// The field `name`, or nil when absent or blank.
    subscript(_ name: String) -> String? {
        guard let value = self.fields[name], !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return nil
        }
        return value
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
