import Engine
import Foundation
import Steps
import Testing

/// `send_email` through a real `CurlTransport` to a real SMTP server (aiosmtpd, Tests/Fixtures/smtp_server.py),
/// reading back the message it received and what Python's e-mail parser makes of it.
@Suite struct SendEmailStepTests {
    struct Mailbox {
        let server: FixtureProcess
        let record: URL

        func step(from: String? = "Triggerd <triggerd@example.org>", username: String? = nil, password: String? = nil, secrets: [String: String] = [:])
            -> SendEmailStep
        {
            var smtp = SMTPConfiguration(url: "smtp://127.0.0.1:\(self.server.port)")
            smtp.from = from
            smtp.starttls = "never"
            smtp.username = username
            smtp.password = password
            return SendEmailStep(transport: CurlTransport(), smtp: smtp, secrets: secrets)
        }

        /// Every message the server accepted, in order.
        func messages() throws -> [JSONValue] {
            guard let text = try? String(contentsOf: self.record, encoding: .utf8) else { return [] }
            return try text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
        }
    }

    private static func withMailbox(_ body: (Mailbox) async throws -> Void) async throws {
        let record = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: record) }
        try await FixtureProcess.with("smtp_server.py", [record.path]) { server in
            try await body(Mailbox(server: server, record: record))
        }
    }

    private static func text(_ value: JSONValue?) -> String {
        (value?.stringValue ?? "").replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .newlines)
    }

    @Test func plainTextMessageWithUTF8SubjectAndBccOnlyInTheEnvelope() async throws {
        try await Self.withMailbox { mailbox in
            let subject = "Déploiement terminé ✅ — prod-eu-1 is green again after the long migration night"
            let output = try StepTesting.output(
                try await mailbox.step().execute(
                    StepTesting.request(
                        "send_email",
                        [
                            "to": "Ops Team <ops@example.org>, dev@example.org", "cc": ["Zoë Müller <zoe@example.org>"],
                            "bcc": "audit@example.org", "subject": .string(subject),
                            "text": "Grüße aus der Pipeline.\n.a line starting with a dot\nend = done",
                        ], step: "mail")))
            #expect(output == ["message_id": "<triggerd.run-1.mail@example.org>"])
            let message = try #require(try mailbox.messages().first)
            #expect(message["from"] == "triggerd@example.org")
            #expect(message["to"] == ["ops@example.org", "dev@example.org", "zoe@example.org", "audit@example.org"])
            let data = message["data"]?.stringValue ?? ""
            #expect(!data.contains("audit@example.org"))
            #expect(!data.contains("Bcc"))
            // Seven-bit on the wire: every UTF-8 byte is encoded, every line within the limit.
            let sevenBit = data.unicodeScalars.allSatisfy { $0.isASCII }
            #expect(sevenBit)
            #expect(data.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
            let parsed = try #require(message["parsed"])
            #expect(parsed["subject"]?.stringValue == subject)
            #expect(parsed["from"] == "Triggerd <triggerd@example.org>")
            #expect(parsed["to"] == "Ops Team <ops@example.org>, dev@example.org")
            #expect(parsed["cc"] == "Zoë Müller <zoe@example.org>")
            #expect(parsed["bcc"] == nil)
            #expect(parsed["message-id"] == "<triggerd.run-1.mail@example.org>")
            #expect(parsed["date"] == "Thu, 01 Jan 2026 00:00:00 +0000")
            #expect(parsed["mime-version"] == "1.0")
            #expect(parsed["content_type"] == "text/plain")
            #expect(Self.text(parsed["plain"]) == "Grüße aus der Pipeline.\n.a line starting with a dot\nend = done")
            #expect(parsed["defects"] == [])
        }
    }

    @Test func textAndHTMLMakeMultipartAlternative() async throws {
        try await Self.withMailbox { mailbox in
            _ = try await mailbox.step().execute(
                StepTesting.request(
                    "send_email",
                    [
                        "to": "ops@example.org", "subject": "Report", "text": "Plain version",
                        "html": .string("<p>HTML <b>version</b> — with a very long line " + String(repeating: "abc ", count: 40) + "</p>"),
                    ]))
            let parsed = try #require(try mailbox.messages().first?["parsed"])
            #expect(parsed["content_type"] == "multipart/alternative")
            #expect(Self.text(parsed["plain"]) == "Plain version")
            #expect(Self.text(parsed["html"]).hasPrefix("<p>HTML <b>version</b> — with a very long line abc abc"))
            #expect(Self.text(parsed["html"]).hasSuffix("abc </p>"))
            #expect(parsed["defects"] == [])
        }
    }

    @Test func loginFromSecretTemplatesAndMessageIDStableAcrossAttempts() async throws {
        try await Self.withMailbox { mailbox in
            let step = mailbox.step(username: "user", password: "{{ secrets.SMTP_PASSWORD }}", secrets: ["SMTP_PASSWORD": "secret"])
            for attempt in 1...2 {
                _ = try await step.execute(
                    StepTesting.request("send_email", ["to": "ops@example.org", "subject": "Hi"], step: "mail", attempt: attempt))
            }
            let messages = try mailbox.messages()
            #expect(messages.map { $0["user"] } == ["user", "user"])
            #expect(messages[0]["parsed"]?["message-id"] == messages[1]["parsed"]?["message-id"])
        }
    }

    @Test func permanentRejectionIsFinalAndTemporaryIsRetryable() async throws {
        try await Self.withMailbox { mailbox in
            let rejected = await StepTesting.failure {
                try await mailbox.step().execute(StepTesting.request("send_email", ["to": "reject@example.org", "subject": "x"]))
            }
            #expect(rejected?.retryable == false)
            #expect(rejected?.message.contains("550") == true)
            let busy = await StepTesting.failure {
                try await mailbox.step().execute(StepTesting.request("send_email", ["to": "busy@example.org", "subject": "x"]))
            }
            #expect(busy?.retryable == true)
            #expect(busy?.message.contains("451") == true)
            let delivered = try mailbox.messages()
            #expect(delivered.isEmpty)
        }
    }

    @Test func badAddressesAndMissingConfigurationAreExplained() async throws {
        let unconfigured = SendEmailStep(transport: CurlTransport(), smtp: nil, secrets: [:])
        let noSMTP = await StepTesting.failure {
            try await unconfigured.execute(StepTesting.request("send_email", ["to": "a@example.org", "subject": "x"]))
        }
        #expect(noSMTP?.message.contains("'smtp:'") == true)
        var smtp = SMTPConfiguration(url: "smtp://127.0.0.1:9")
        smtp.from = nil
        let step = SendEmailStep(transport: CurlTransport(), smtp: smtp, secrets: [:])
        let noFrom = await StepTesting.failure { try await step.execute(StepTesting.request("send_email", ["to": "a@example.org", "subject": "x"])) }
        #expect(noFrom?.message.contains("'with.from'") == true)
        let badTo = await StepTesting.failure {
            try await step.execute(StepTesting.request("send_email", ["from": "me@example.org", "to": "not an address", "subject": "x"]))
        }
        #expect(badTo?.message == "'with.to': 'not an address' is not an e-mail address such as ops@example.org")
        #expect(badTo?.retryable == false)
    }

    @Test func unreachableServerIsRetryable() async throws {
        var smtp = SMTPConfiguration(url: "smtp://127.0.0.1:9")
        smtp.from = "me@example.org"
        let step = SendEmailStep(transport: CurlTransport(), smtp: smtp, secrets: [:])
        let failure = await StepTesting.failure { try await step.execute(StepTesting.request("send_email", ["to": "a@example.org", "subject": "x"])) }
        #expect(failure?.retryable == true)
    }
}
