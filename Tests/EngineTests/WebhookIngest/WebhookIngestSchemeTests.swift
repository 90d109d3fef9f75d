import Foundation
import Testing

@testable import Engine

/// Every verification scheme through the ingest: valid, tampered, wrong secret, stale, future, malformed and
/// missing header. A refusal is a 401 that stores nothing: no delivery row, no run; only a counter and a log line.
@Suite struct WebhookIngestSchemeTests {
    /// One scheme's endpoint and how a sender signs for it.
    struct Case: CustomTestStringConvertible, Sendable {
        let scheme: WebhookScheme
        let secret: String
        let wrongSecret: String
        /// The lower-cased header carrying the signature.
        let signatureHeader: String
        var verifyExtra = ""
        var hasTimestamp = true
        var testDescription: String { self.scheme.rawValue }

        var workflow: String {
            """
            triggers:
              - webhook:
                  path: /hooks/\(self.scheme.rawValue)
                  verify: { scheme: \(self.scheme.rawValue), secret: "{{ secrets.HOOK_SECRET }}"\(self.verifyExtra) }
            steps:
              a: { type: transform, with: { value: "{{ trigger.headers }}" } }
            """
        }

        func sign(_ body: String, secret: String? = nil, at time: Date) throws -> [String: String] {
            var headers = WebhookTesting.lowercased(
                try WebhookSigner.sign(
                    scheme: self.scheme, secret: secret ?? self.secret, body: Array(body.utf8), timestamp: time,
                    id: "msg_\(UUID().uuidString)", header: "X-Signature", prefix: self.scheme == .hmac ? "sha256=" : ""))
            headers["content-type"] = "application/json"
            return headers
        }
    }

    static let cases: [Case] = [
        Case(scheme: .github, secret: "gh-secret", wrongSecret: "gh-other", signatureHeader: "x-hub-signature-256", hasTimestamp: false),
        Case(scheme: .stripe, secret: "whsec_stripe_test", wrongSecret: "whsec_other", signatureHeader: "stripe-signature"),
        Case(scheme: .slack, secret: "8f742231b10e8888abcd99yyyzzz85a5", wrongSecret: "slack-other", signatureHeader: "x-slack-signature"),
        Case(
            scheme: .standard, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", wrongSecret: "whsec_dGhpcyBpcyBub3QgdGhlIGtleQ==",
            signatureHeader: "webhook-signature"),
        Case(
            scheme: .hmac, secret: "hmac-secret", wrongSecret: "hmac-other", signatureHeader: "x-signature",
            verifyExtra: ", header: X-Signature, prefix: \"sha256=\"", hasTimestamp: false),
        Case(scheme: .bearer, secret: "bearer-token-123", wrongSecret: "bearer-other", signatureHeader: "authorization", hasTimestamp: false),
    ]

    static let body = #"{"id":"evt_1","event_id":"Ev1","type":"event_callback","number":7}"#

    func harness(_ c: Case) async throws -> IngestHarness {
        try await IngestHarness(["hook": c.workflow], secrets: ["HOOK_SECRET": c.secret])
    }

    /// Posts and checks that a refusal stored nothing and logged no secret.
    func expectRefused(
        _ h: IngestHarness, _ c: Case, _ body: String, _ headers: [String: String],
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws {
        let answer = await h.post("/hooks/\(c.scheme.rawValue)", body, headers: headers)
        #expect(answer.status == 401, sourceLocation: sourceLocation)
        #expect(answer.body["error"]?["code"] == "unauthorized", sourceLocation: sourceLocation)
        #expect(try await h.deliveries().isEmpty, sourceLocation: sourceLocation)
        #expect(try await h.runCount() == 0, sourceLocation: sourceLocation)
        #expect(h.logs.all.contains { $0.contains("webhook delivery refused") }, sourceLocation: sourceLocation)
        #expect(!h.logs.all.contains { $0.contains(c.secret) }, sourceLocation: sourceLocation)
    }

    @Test(arguments: cases) func validDeliveryIsAccepted(_ c: Case) async throws {
        let h = try await self.harness(c)
        let answer = await h.post("/hooks/\(c.scheme.rawValue)", Self.body, headers: try c.sign(Self.body, at: h.clock.now()))
        #expect(answer.status == 202)
        let run = try await h.finishedRun(answer)
        #expect(run.status == .completed)
        #expect(h.counted("hook", "accepted") == 1)
        // No secret value reaches the run record (a bearer token travels in a header).
        #expect(!run.trigger.jsonString().contains(c.secret))
    }

    @Test(arguments: cases) func tamperedBodyIsRefused(_ c: Case) async throws {
        let h = try await self.harness(c)
        let headers = try c.sign(Self.body, at: h.clock.now())
        if c.scheme == .bearer {
            // A bearer token does not sign the body; tampering means a different token.
            var forged = headers
            forged["authorization"] = "Bearer bearer-token-124"
            try await self.expectRefused(h, c, Self.body, forged)
        } else {
            try await self.expectRefused(h, c, Self.body.replacingOccurrences(of: "7", with: "8"), headers)
        }
        #expect(h.counted("hook", "rejected") == 1)
    }

    @Test(arguments: cases) func wrongSecretIsRefused(_ c: Case) async throws {
        let h = try await self.harness(c)
        try await self.expectRefused(h, c, Self.body, try c.sign(Self.body, secret: c.wrongSecret, at: h.clock.now()))
    }

    @Test(arguments: cases.filter(\.hasTimestamp)) func staleTimestampIsRefused(_ c: Case) async throws {
        let h = try await self.harness(c)
        let signed = try c.sign(Self.body, at: h.clock.now().addingTimeInterval(-301))
        try await self.expectRefused(h, c, Self.body, signed)
        #expect(h.logs.all.contains { $0.contains("timestamp outside the 300 s tolerance") })
        // Inside the tolerance it passes.
        let fresh = try c.sign(Self.body, at: h.clock.now().addingTimeInterval(-299))
        #expect(await h.post("/hooks/\(c.scheme.rawValue)", Self.body, headers: fresh).status == 202)
    }

    @Test(arguments: cases.filter(\.hasTimestamp)) func futureTimestampIsRefused(_ c: Case) async throws {
        let h = try await self.harness(c)
        try await self.expectRefused(h, c, Self.body, try c.sign(Self.body, at: h.clock.now().addingTimeInterval(301)))
    }

    @Test(arguments: cases) func malformedHeaderIsRefused(_ c: Case) async throws {
        let h = try await self.harness(c)
        var headers = try c.sign(Self.body, at: h.clock.now())
        headers[c.signatureHeader] = c.scheme == .bearer ? "Basic dXNlcjpwYXNz" : "not-a-signature"
        try await self.expectRefused(h, c, Self.body, headers)
    }

    @Test(arguments: cases) func missingHeaderIsRefused(_ c: Case) async throws {
        let h = try await self.harness(c)
        var headers = try c.sign(Self.body, at: h.clock.now())
        headers.removeValue(forKey: c.signatureHeader)
        try await self.expectRefused(h, c, Self.body, headers)
    }

    @Test func slackURLVerificationIsAnsweredWithTheChallenge() async throws {
        let c = Self.cases[2]
        let h = try await self.harness(c)
        let body = #"{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#
        let answer = await h.post("/hooks/slack", body, headers: try c.sign(body, at: h.clock.now()))
        #expect(answer.status == 200)
        #expect(answer.body == ["challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"])
        #expect(try await h.runCount() == 0)
        // An unsigned challenge is refused like any other delivery.
        #expect(await h.post("/hooks/slack", body, headers: ["content-type": "application/json"]).status == 401)
    }

    @Test func schemeDeliveryIDsDedupe() async throws {
        // Stripe's event id, Slack's event_id and Standard Webhooks' webhook-id are each a dedupe id.
        for c in [Self.cases[1], Self.cases[2], Self.cases[3]] {
            let h = try await self.harness(c)
            let headers = try c.sign(Self.body, at: h.clock.now())
            #expect(await h.post("/hooks/\(c.scheme.rawValue)", Self.body, headers: headers).status == 202, "\(c.scheme)")
            #expect(await h.post("/hooks/\(c.scheme.rawValue)", Self.body, headers: headers).status == 200, "\(c.scheme)")
            #expect(try await h.runCount() == 1, "\(c.scheme)")
        }
    }
}
