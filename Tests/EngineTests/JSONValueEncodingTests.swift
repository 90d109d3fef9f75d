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

    /// JSON texts written by other encoders (escapes we never write, at the start, middle and end of strings)
    /// read as Foundation reads them: strings without an escape take the reader's one-copy path.
    @Test(arguments: [
        #""plain""#, #""\u00e9t\u00E9""#, #""\ud83d\ude80 rocket""#, #""end escape\n""#, #""\"start""#,
        #""a\/b\\c\bd\fe\rf\tg""#, #""raw ünïcödé 日本""#, #""""#, #""mixed \u0001 日 \\ \"""#,
    ])
    func stringsReadLikeFoundationReadsThem(_ text: String) throws {
        let document = "{\"k\":\(text)}"
        let expected = try #require(
            try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])["k"] as? String
        #expect(try JSONValue.parse(document) == .object(["k": .string(try #require(expected))]))
    }

    @Test func nestedValuesWriteWithSortedKeysAndReadBack() throws {
        let value: JSONValue = [
            "z": [1, 2.5, "x\u{1}"], "a": ["nested": ["deep": true, "b": .null]], "m": "", "é": -3,
        ]
        #expect(value.jsonString() == #"{"a":{"nested":{"b":null,"deep":true}},"m":"","z":[1,2.5,"x\u0001"],"é":-3}"#)
        #expect(try JSONValue.parse(value.jsonString()) == value)
        #expect(try JSONValue.parse(value.jsonString(pretty: true)) == value)
        #expect(JSONValue.array([["k": 1]]).jsonString(pretty: true) == "[\n  {\n    \"k\": 1\n  }\n]")
    }
}
