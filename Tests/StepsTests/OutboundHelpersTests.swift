import Engine
import Foundation
import Testing

@testable import Steps

/// The pure helpers of the outbound steps: schema validation, answer extraction, encodings, header values.
@Suite struct OutboundHelpersTests {
    @Test func schemaValidatorReportsEachProblemWithItsPath() throws {
        let validator = try JSONSchemaValidator(schema: [
            "type": "object", "required": ["id", "items"], "additionalProperties": ["type": "number"],
            "properties": [
                "id": ["type": "integer"],
                "kind": ["enum": ["a", "b"]],
                "items": ["type": "array", "items": ["type": ["string", "null"]]],
                "nested": ["type": "object", "properties": ["ok": ["type": "boolean", "const": true]]],
            ],
        ])
        #expect(validator.problems(["id": 3, "items": ["x", nil], "kind": "a", "extra": 1.5, "nested": ["ok": true]]) == [])
        #expect(
            validator.problems(["id": 3.5, "items": ["x", 2], "kind": "c", "extra": "no", "nested": ["ok": false]]) == [
                "$.extra: expected number, got string",
                "$.id: expected integer, got number",
                "$.items[1]: expected string or null, got integer",
                "$.kind: \"c\" is not one of \"a\", \"b\"",
                "$.nested.ok: must be true",
            ])
        #expect(validator.problems([:]) == ["$: missing required property 'id'", "$: missing required property 'items'"])
        #expect(validator.problems("text") == ["$: expected object, got string"])
        #expect(throws: StepFailure.self) { try JSONSchemaValidator(schema: "object") }
    }

    @Test func answersAreFoundInFencesAndProse() {
        #expect(LLMAnswer.json(#" {"a": 1} "#) == ["a": 1])
        #expect(LLMAnswer.json("```json\n[1, 2]\n```") == [1, 2])
        #expect(LLMAnswer.json(#"Here you go: {"a": {"b": 2}} Hope it helps."#) == ["a": ["b": 2]])
        #expect(LLMAnswer.json("no json here") == nil)
    }

    @Test func retryAfterReadsSecondsAndDatesAndCapsThem() {
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds("Thu, 01 Jan 2026 00:00:30 GMT", now: now) == 30)
        #expect(RetryAfter.seconds("Thursday, 01-Jan-26 00:00:45 GMT", now: now) == 45)
        #expect(RetryAfter.seconds("Wed, 31 Dec 2025 23:00:00 GMT", now: now) == 0)
        #expect(RetryAfter.seconds("999999", now: now) == RetryAfter.maximum)
        #expect(RetryAfter.seconds("soon", now: now) == nil)
        #expect(RetryAfter.seconds(nil, now: now) == nil)
    }

    @Test func statusExpectationsAndSizes() throws {
        #expect(try StatusExpectation.parse(nil).description == "200-299")
        #expect(try StatusExpectation.parse([200, "3xx", "404-410"]).description == "200, 300-399, 404-410")
        #expect(try StatusExpectation.parse("2xx").accepts(204))
        #expect(try !StatusExpectation.parse(201).accepts(200))
        for bad: JSONValue in ["6xx", 99, [], "300-200", true] {
            #expect(throws: StepFailure.self) { try StatusExpectation.parse(bad) }
        }
        #expect(try ByteCount.parse("10MiB", field: "max_response") == 10_485_760)
        #expect(try ByteCount.parse("512KB", field: "max_response") == 512_000)
        #expect(try ByteCount.parse(2048, field: "max_response") == 2048)
        #expect(throws: StepFailure.self) { try ByteCount.parse("-1MB", field: "max_response") }
    }

    @Test func queryPairsAreEncodedAndAppended() throws {
        #expect(try URLQuery.appending([("a", "1"), ("b c", "ä/&")], to: "http://h/p?x=1#frag") == "http://h/p?x=1&a=1&b%20c=%C3%A4%2F%26#frag")
        #expect(try URLQuery.appending([("a", "1")], to: "http://h/p") == "http://h/p?a=1")
        #expect(try URLQuery.pairs(["z": 1, "a": [true, nil, "x"], "n": nil], field: "query").map { "\($0.0)=\($0.1)" } == ["a=true", "a=x", "z=1"])
    }

    @Test func quotedPrintableKeepsLinesShortAndEncodesWhatItMust() {
        let encoded = MailEncoding.quotedPrintable("Grüße = ok \n.dot\n" + String(repeating: "x", count: 200) + " \nend\t")
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.count <= 76 })
        #expect(lines[0] == "Gr=C3=BC=C3=9Fe =3D ok=20")
        #expect(lines[1] == "=2Edot")
        #expect(lines.last == "end=09")
        #expect(encoded.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func headerWordsAreEncodedOnlyWhenNeeded() {
        #expect(MailEncoding.unstructured("Deploy done", name: "Subject") == "Deploy done")
        #expect(MailEncoding.unstructured("Grüße", name: "Subject") == "=?UTF-8?B?R3LDvMOfZQ==?=")
        // Text that merely looks like an encoded word is encoded so readers do not decode it.
        #expect(MailEncoding.unstructured("=?UTF-8?B?eA==?=", name: "Subject").hasPrefix("=?UTF-8?B?"))
        let long = MailEncoding.unstructured(String(repeating: "word ", count: 40), name: "Subject")
        let folded = long.components(separatedBy: "\r\n")
        #expect(folded.count > 1)
        #expect(("Subject: " + folded[0]).count <= 78)
        #expect(folded.dropFirst().allSatisfy { $0.count <= 78 && $0.hasPrefix(" ") })
        #expect(MailEncoding.phrase("Ops Team") == "Ops Team")
        #expect(MailEncoding.phrase("Doe, Jane") == "\"Doe, Jane\"")
        #expect(MailEncoding.phrase("Zoë") == "=?UTF-8?B?Wm/Dqw==?=")
        #expect(MailEncoding.date(Date(timeIntervalSince1970: 1_767_225_600)) == "Thu, 01 Jan 2026 00:00:00 +0000")
    }

    @Test func addressListsSplitOutsideQuotes() throws {
        let list = try MailAddress.list(#""Doe, Jane" <jane@example.org>, ops@example.org"#, field: "to")
        #expect(list == [MailAddress(name: "Doe, Jane", address: "jane@example.org"), MailAddress(name: nil, address: "ops@example.org")])
        #expect(throws: StepFailure.self) { try MailAddress.list(["a@b", 3], field: "cc") }
        #expect(throws: StepFailure.self) { try MailAddress.parse("a b@example.org", field: "to") }
    }

    @Test func smtpReplyCodeIsReadFromTransportErrors() {
        #expect(SendEmailStep.replyCode("SMTP smtp://h:25: failed (last SMTP reply 451)") == 451)
        #expect(SendEmailStep.replyCode("could not connect") == nil)
    }

    @Test func configTemplatesResolveSecretsAndNameTheKeyOnFailure() throws {
        #expect(try ConfigValue.resolve("{{ secrets.K }}", key: "llm.openai.api_key", secrets: ["K": "v"]) == "v")
        #expect(try ConfigValue.resolve("plain", key: "smtp.url", secrets: [:]) == "plain")
        #expect(try ConfigValue.resolve(nil, key: "smtp.url", secrets: [:]) == nil)
        #expect(try ConfigValue.resolve("{{ secrets.MISSING }}", key: "smtp.password", secrets: [:]) == nil)
        let failure = #expect(throws: StepFailure.self) { try ConfigValue.resolve("{{ nope( }}", key: "smtp.password", secrets: [:]) }
        #expect(failure?.message.hasPrefix("configuration 'smtp.password':") == true)
    }

    @Test func registryHasEveryOutboundStepAndTheExampleLoads() throws {
        let kinds = StepLibrary.registry(configuration: DaemonConfiguration(), secrets: [:], environment: [:]).kinds
        for kind in ["http_request", "llm_call", "webhook", "send_email", "database_query"] { #expect(kinds.contains(kind)) }
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("etc/workflows/llm-summary.yaml")
        let source = try String(contentsOf: example, encoding: .utf8)
        let definition = try WorkflowLoader().load(source: source, file: example.path, defaultName: "llm-summary")
        #expect(definition.steps["summarise"]?.type == "llm_call")
    }
}
