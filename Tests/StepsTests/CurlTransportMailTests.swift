import Foundation
import Steps
import Testing

/// SMTP through `CurlTransport.sendMail`, against the fixture's minimal SMTP server.
@Suite struct CurlTransportMailTests {
    /// What the fixture records for each accepted message.
    struct Delivered: Decodable, Equatable {
        var from: String
        var to: [String]
        var user: String?
        var data: String
    }

    private static func withMailServer(_ body: (CurlTransportTestServer, URL) async throws -> Void) async throws {
        let record = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: record) }
        let server = try await CurlTransportTestServer.start(["--smtp", record.path])
        defer { server.stop() }
        try await body(server, record)
    }

    private static func delivered(_ record: URL) throws -> [Delivered] {
        let lines = try String(contentsOf: record, encoding: .utf8).split(separator: "\n")
        return try lines.map { try JSONDecoder().decode(Delivered.self, from: Data($0.utf8)) }
    }

    private static let message = MailMessage(
        from: "triggerd@example.org",
        recipients: ["ops@example.org", "dev@example.org"],
        data: Array("From: triggerd@example.org\r\nSubject: Deploy done\r\n\r\nAll green.\r\n.hidden dot line\r\n".utf8)
    )

    @Test func messageIsDeliveredToEveryRecipient() async throws {
        try await Self.withMailServer { server, record in
            let code = try await CurlTransport().sendMail(
                Self.message,
                via: SMTPSettings(url: "smtp://127.0.0.1:\(server.port)", starttls: .never)
            )
            #expect(code == 250)
            #expect(
                try Self.delivered(record) == [
                    Delivered(
                        from: "triggerd@example.org",
                        to: ["ops@example.org", "dev@example.org"],
                        user: nil,
                        data:
                            "From: triggerd@example.org\r\nSubject: Deploy done\r\n\r\nAll green.\r\n.hidden dot line\r\n"
                    )
                ]
            )
        }
    }

    @Test func loginIsUsedWhenConfigured() async throws {
        try await Self.withMailServer { server, record in
            let url = "smtp://127.0.0.1:\(server.port)"
            let code = try await CurlTransport().sendMail(
                Self.message,
                via: SMTPSettings(url: url, username: "user", password: "secret", starttls: .auto)
            )
            #expect(code == 250)
            #expect(try Self.delivered(record).map(\.user) == ["user"])
            let error = await #expect(throws: TransportError.self) {
                try await CurlTransport().sendMail(
                    Self.message,
                    via: SMTPSettings(url: url, username: "user", password: "wrong", starttls: .never)
                )
            }
            #expect(
                error?.message.hasPrefix("SMTP \(url): the server refused the login (check username and password)")
                    == true
            )
            #expect(error?.message.contains("wrong") == false)
        }
    }

    @Test func requiredStartTLSFailsWhenNotOffered() async throws {
        try await Self.withMailServer { server, _ in
            let error = await #expect(throws: TransportError.self) {
                try await CurlTransport().sendMail(
                    Self.message,
                    via: SMTPSettings(url: "smtp://127.0.0.1:\(server.port)", starttls: .always)
                )
            }
            #expect(error?.code == .tls)
        }
    }

    @Test func rejectedRecipientFailsTheMessage() async throws {
        try await Self.withMailServer { server, record in
            var message = Self.message
            message.recipients = ["reject@example.org"]
            let error = await #expect(throws: TransportError.self) {
                try await CurlTransport().sendMail(
                    message,
                    via: SMTPSettings(url: "smtp://127.0.0.1:\(server.port)", starttls: .never)
                )
            }
            #expect(error?.message.contains("550") == true)
            #expect(!FileManager.default.fileExists(atPath: record.path))
        }
    }

    @Test func badEnvelopeIsRefusedBeforeConnecting() async throws {
        let settings = SMTPSettings(url: "smtp://127.0.0.1:1")
        var message = Self.message
        message.recipients = ["ops@example.org>\r\nDATA"]
        let error = await #expect(throws: TransportError.self) {
            try await CurlTransport().sendMail(message, via: settings)
        }
        #expect(error?.code == .invalidRequest)
        #expect(error?.message == "SMTP smtp://127.0.0.1:1: 'ops@example.org>\r\nDATA' is not a usable e-mail address")
    }
}
