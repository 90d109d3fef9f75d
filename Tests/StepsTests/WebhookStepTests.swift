import Engine
import Foundation
@testable import Steps
import Testing

/// Outbound `webhook` against Tests/Fixtures/http_server.py's recording `/flaky` endpoint.
@Suite struct WebhookStepTests {
    static let secret = "whsec_" + Data("a-shared-webhook-secret".utf8).base64EncodedString()

    /// The requests `/flaky` recorded for `key`, as (headers, body).
    private static func recorded(_ server: FixtureProcess, key: String, via transport: CurlTransport) async throws
        -> [(headers: [String: String], body: String)]
    {
        let list = try await StepTesting.getJSON(server.url("/recorded?key=\(key)"), via: transport).arrayValue ?? []
        return list.map { entry in
            var headers: [String: String] = [:]
            for pair in entry["headers"]?.arrayValue ?? [] {
                if let name = pair.arrayValue?.first?.stringValue, let value = pair.arrayValue?.last?.stringValue { headers[name] = value }
            }
            return (headers, entry["body"]?.stringValue ?? "")
        }
    }

    @Test func signedDeliveryVerifiesAndKeepsItsIdAcrossRetries() async throws {
        try await FixtureProcess.with("http_server.py") { server in
            let transport = CurlTransport()
            let step = WebhookStep(transport: transport)
            let with: [String: JSONValue] = [
                "url": .string(server.url("/flaky?key=signed&failures=1&status=502")), "secret": .string(Self.secret),
                "payload": ["event": "deploy.finished", "ok": true], "headers": ["X-Source": "triggerd"],
            ]
            let first = await StepTesting.failure { try await step.execute(StepTesting.request("webhook", with, step: "notify", attempt: 1)) }
            #expect(first?.retryable == true)
            let output = try StepTesting.output(try await step.execute(StepTesting.request("webhook", with, step: "notify", attempt: 2)))
            #expect(output == ["status": 200, "body": ["attempt": 2]])

            let deliveries = try await Self.recorded(server, key: "signed", via: transport)
            #expect(deliveries.count == 2)
            #expect(deliveries[0].headers["webhook-id"] == "msg_run-1.notify")
            #expect(deliveries[1].headers["webhook-id"] == deliveries[0].headers["webhook-id"])
            for delivery in deliveries {
                #expect(delivery.body == #"{"event":"deploy.finished","ok":true}"#)
                #expect(delivery.headers["content-type"] == "application/json")
                #expect(delivery.headers["x-source"] == "triggerd")
                let verdict = WebhookVerifier.verify(
                    WebhookVerification(scheme: .standard, secrets: [Self.secret]), headers: delivery.headers,
                    body: Array(delivery.body.utf8), now: StepTesting.now)
                #expect(throws: Never.self) { try verdict.get() }
            }
        }
    }

    @Test func itemsOfForEachGetDistinctIds() async throws {
        let first = WebhookStep.messageID(StepTesting.request("webhook", [:], step: "notify", index: 0))
        let second = WebhookStep.messageID(StepTesting.request("webhook", [:], step: "notify", index: 1))
        #expect(first == "msg_run-1.notify.0")
        #expect(second == "msg_run-1.notify.1")
    }

    @Test func goneStopsRetryingAndOtherFailuresRetryWithRetryAfter() async throws {
        try await FixtureProcess.with("http_server.py") { server in
            let step = WebhookStep(transport: CurlTransport())
            let gone = await StepTesting.failure {
                try await step.execute(StepTesting.request("webhook", ["url": .string(server.url("/status/410")), "secret": .string(Self.secret)]))
            }
            #expect(gone?.retryable == false)
            #expect(gone?.message.contains("410 Gone") == true)
            let rejected = await StepTesting.failure {
                try await step.execute(StepTesting.request("webhook", ["url": .string(server.url("/status/400?retry_after=30"))]))
            }
            #expect(rejected?.retryable == true)
            #expect(rejected?.retryAfter == 30)
        }
    }

    @Test func unsignedDeliveryStillCarriesIdAndTimestamp() async throws {
        try await FixtureProcess.with("http_server.py") { server in
            let transport = CurlTransport()
            let step = WebhookStep(transport: transport)
            _ = try await step.execute(StepTesting.request("webhook", ["url": .string(server.url("/flaky?key=plain"))]))
            let delivery = try #require(try await Self.recorded(server, key: "plain", via: transport).first)
            #expect(delivery.headers["webhook-id"] == "msg_run-1.s1")
            #expect(delivery.headers["webhook-timestamp"] == "1767225600")
            #expect(delivery.headers["webhook-signature"] == nil)
            #expect(delivery.body == "{}")
        }
    }

    @Test func badSecretIsRefusedWithoutShowingIt() async throws {
        let step = WebhookStep(transport: CurlTransport())
        let failure = await StepTesting.failure {
            try await step.execute(StepTesting.request("webhook", ["url": "http://127.0.0.1:9/", "secret": "not-a-whsec-secret"]))
        }
        #expect(failure?.retryable == false)
        #expect(failure?.message.contains("whsec_") == true)
        #expect(failure?.message.contains("not-a-whsec-secret") == false)
    }
}
