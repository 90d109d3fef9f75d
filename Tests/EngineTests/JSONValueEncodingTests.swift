import Foundation
import Testing

@testable import Engine

/// JSON text written for stored rows and answers: strings with nothing to escape take a one-append fast path,
/// the rest are escaped scalar by scalar. Both must read back (with Foundation's parser, an independent one) as
/// the exact string written.
@Suite("JSON value encoding")
struct JSONValueEncodingTests {
    static let samples: [String] = [
        "", "plain ascii", "acme/widgets", "ünïcödé ✓ 日本語 🚀", "e\u{301}", "\"\u{301}quoted", "back\\slash",
        "line\nbreak", "tab\there", "cr\rlf", "nul\u{0}byte", "bell\u{7}", "unit\u{1f}sep", "del\u{7f}", "\"",
        "\\", "mixed \"q\" \\ \n 日本 \u{1}",
    ]

    @Test(arguments: samples)
    func aStringReadsBackExactlyWithAnIndependentParser(_ text: String) throws {
        let written = JSONValue.object(["k": .string(text)]).jsonString()
        let parsed = try #require(
            try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String: Any], "not JSON: \(written)")
        #expect(parsed["k"] as? String == text, "wrote \(written)")
        #expect(try JSONValue.parse(written) == .object(["k": .string(text)]))
    }

    @Test func onlyQuotesBackslashesAndControlsAreEscaped() {
        #expect(JSONValue.string("a/b ✓").jsonString() == "\"a/b ✓\"")
        #expect(JSONValue.string("say \"hi\"\\").jsonString() == #""say \"hi\"\\""#)
        #expect(JSONValue.string("\n\t\u{1}").jsonString() == #""\n\t\u0001""#)
    }
}
