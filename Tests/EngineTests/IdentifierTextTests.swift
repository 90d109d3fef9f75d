import Foundation
import Testing

@testable import Engine

/// Text the engine writes on every row: timestamps (digits written by hand, checked against Foundation's
/// ISO 8601 formatter), ids (ULID layout) and the media type of a `Content-Type` header.
@Suite("Identifier and timestamp text")
struct IdentifierTextTests {
    static func reference() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter
    }

    @Test func timestampsMatchFoundationsFormatterAcrossYears() {
        let reference = Self.reference()
        var random = SystemRandomNumberGenerator()
        // Whole milliseconds from 1970 to 2191 (past that a Double holds a date to less than a microsecond).
        for _ in 0..<2_000 {
            let ms = Double(UInt64.random(in: 0...7_000_000_000_000, using: &random))
            let date = Date(timeIntervalSince1970: ms / 1000)
            #expect(Timestamp.format(date) == reference.string(from: date), "\(ms) ms")
        }
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
    }

    @Test func timestampsReadBack() {
        let date = Date(timeIntervalSince1970: 1_795_737_237.123)
        #expect(Timestamp.parse(Timestamp.format(date)).map { ($0.timeIntervalSince1970 * 1000).rounded() } == 1_795_737_237_123)
    }

    @Test func idsSortByTimeAndDoNotRepeat() {
        let early = Date(timeIntervalSince1970: 1_700_000_000)
        let late = early.addingTimeInterval(0.002)
        var seen = Set<String>()
        for _ in 0..<10_000 { seen.insert(RunID.make(at: early)) }
        #expect(seen.count == 10_000)
        let alphabet = Set("0123456789abcdefghjkmnpqrstvwxyz")
        #expect(seen.allSatisfy { $0.count == 26 && $0.allSatisfy(alphabet.contains) })
        #expect(seen.allSatisfy { $0 < RunID.make(at: late) })
        #expect(RunID.make(at: Date(timeIntervalSince1970: 0)).hasPrefix("0000000000"))
    }

    @Test(arguments: [
        ("application/json", "application/json"), (" Application/JSON ; charset=utf-8", "application/json"),
        ("\ttext/plain\t", "text/plain"), ("application/vnd.api+json;q=1", "application/vnd.api+json"),
        (";charset=utf-8", ""), ("", ""),
    ])
    func mediaTypeDropsParametersBlanksAndCase(_ header: String, _ expected: String) {
        #expect(WebhookPayload.mediaType(header) == expected)
    }
}
