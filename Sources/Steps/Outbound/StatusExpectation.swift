public import Engine
import Foundation

/// `expect_status` of `http_request`: which status codes count as success.
///
/// Accepts a code (`204`), a range (`"200-299"`), a class (`"2xx"`), or a list of any of these.
struct StatusExpectation: Sendable, CustomStringConvertible {
    /// The default: any 2xx.
    static let success = StatusExpectation(ranges: [200...299])

    var ranges: [ClosedRange<Int>]

    func accepts(_ status: Int) -> Bool { self.ranges.contains { $0.contains(status) } }

    var description: String {
        self.ranges.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ", ")
    }

    /// Reads `with.expect_status`; nil (absent) means `success`.
    static func parse(_ value: JSONValue?) throws -> StatusExpectation {
        switch value ?? .null {
        case .null: return .success
        case .array(let items):
            guard !items.isEmpty else { throw self.refusal(value) }
            return StatusExpectation(ranges: try items.map { try self.range($0) })
        case let single: return StatusExpectation(ranges: [try self.range(single)])
        }
    }

    private static func range(_ value: JSONValue) throws -> ClosedRange<Int> {
        if let code = value.intValue, (100...599).contains(code) { return code...code }
        guard let text = value.stringValue?.trimmingCharacters(in: .whitespaces).lowercased() else {
            throw self.refusal(value)
        }
        if let code = Int(text), (100...599).contains(code) { return code...code }
        if text.count == 3, text.hasSuffix("xx"), let digit = Int(text.prefix(1)), (1...5).contains(digit) {
            return (digit * 100)...(digit * 100 + 99)
        }
        let bounds = text.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        if bounds.count == 2, let low = bounds[0], let high = bounds[1], 100 <= low, low <= high, high <= 599 {
            return low...high
        }
        throw self.refusal(value)
    }

    private static func refusal(_ value: JSONValue?) -> StepFailure {
        StepFailure(
            "'with.expect_status' must be a status code, a range like \"200-299\", a class like \"2xx\", "
                + "or a list of those, not \((value ?? .null).jsonString())",
            retryable: false)
    }
}
