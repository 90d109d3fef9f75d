public import Engine
import Foundation

/// `max_response`: a number of bytes (`1048576`) or a size with a unit (`512KB`, `10MiB`, `1GB`).
enum ByteCount {
    private static let units: [(suffix: String, factor: Double)] = [
        ("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824),
        ("kb", 1000), ("mb", 1_000_000), ("gb", 1_000_000_000), ("k", 1024), ("m", 1_048_576), ("g", 1_073_741_824),
        ("b", 1),
    ]

    /// Bytes, or nil when absent.
    static func parse(_ value: JSONValue?, field: String) throws -> Int? {
        switch value ?? .null {
        case .null: return nil
        case .number(let n) where n >= 1 && n <= 1e12: return Int(n)
        case .string(let raw):
            let text = raw.trimmingCharacters(in: .whitespaces).lowercased()
            let unit = self.units.first { text.hasSuffix($0.suffix) }
            let digits = unit.map { String(text.dropLast($0.suffix.count)).trimmingCharacters(in: .whitespaces) } ?? text
            if let number = Double(digits), number > 0, number.isFinite {
                let bytes = number * (unit?.factor ?? 1)
                if bytes >= 1, bytes <= 1e12 { return Int(bytes) }
            }
            throw self.refusal(field, value)
        default: throw self.refusal(field, value)
        }
    }

    private static func refusal(_ field: String, _ value: JSONValue?) -> StepFailure {
        StepFailure(
            "'with.\(field)' must be a size such as 1048576, '512KB' or '10MiB', not \((value ?? .null).jsonString())",
            retryable: false)
    }
}
