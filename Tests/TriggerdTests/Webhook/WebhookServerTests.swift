import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SocketSupport
import Testing

@testable import Triggerd

/// The listener over real TCP on 127.0.0.1: one signed delivery per scheme end to end, the answers that need
/// no body, body limits that never buffer past `max_body`, health and metrics.
@Suite struct WebhookServerTests {
    static let secrets = [
        "GH": "gh-secret", "STRIPE": "whsec_stripe_test", "SLACK": "8f742231b10e8888abcd99yyyzzz85a5",
        "STD": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "HMAC": "hmac-secret", "BEARER": "bearer-token-123",
    ]

    static func workflow(_ scheme: WebhookScheme, secret: String, extra: String = "") -> String {
        """
        triggers:
          - webhook:
              path: /hooks/\(scheme.rawValue)
              verify: { scheme: \(scheme.rawValue), secret: "{{ secrets.\(secret) }}"\(extra) }
        steps:
          seen:
            type: transform
            with: { value: "{{ trigger.body.number }}" }
        """
    }

    static let plain = """
        triggers:
          - webhook: { path: /hooks/plain, max_body: 1KiB }
        steps:
          seen:
            type: transform
            with: { value: "{{ trigger.body }}" }
        """

    static func server() async throws -> WebhookTestServer {
        try await WebhookTestServer(
            workflows: [
                "github": workflow(.github, secret: "GH"), "stripe": workflow(.stripe, secret: "STRIPE"),
                "slack": workflow(.slack, secret: "SLACK"), "standard": workflow(.standard, secret: "STD"),
                "hmac": workflow(.hmac, secret: "HMAC", extra: ", header: X-Signature, prefix: \"sha256=\""),
                "bearer": workflow(.bearer, secret: "BEARER"), "plain": plain,
            ],
            secrets: secrets)
    }

    static let schemeSecrets: [(WebhookScheme, String)] = [
        (.github, "GH"), (.stripe, "STRIPE"), (.slack, "SLACK"), (.standard, "STD"), (.hmac, "HMAC"), (.bearer, "BEARER"),
    ]

    @Test(arguments: WebhookScheme.allCases) func signedDeliveryRunsEndToEnd(_ scheme: WebhookScheme) async throws {
        let server = try await Self.server()
        let secretName = try #require(Self.schemeSecrets.first { $0.0 == scheme }?.1)
        let body = #"{"id":"evt_42","event_id":"Ev42","number":42}"#
        let signed = try WebhookSigner.sign(
            scheme: scheme, secret: Self.secrets[secretName]!, body: Array(body.utf8), timestamp: Date(), id: "msg_42",
            header: "X-Signature", prefix: scheme == .hmac ? "sha256=" : "")
        try await server.live { client in
            try await client.execute(
                uri: "/hooks/\(scheme.rawValue)", method: .post, headers: httpFields(signed), body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .accepted)
                let run = try await server.finishedRun(response)
                #expect(run?.status == .completed)
                #expect(run?.steps.first?.output == 42)
            }
            // The same bytes with a wrong signature are refused and start nothing.
            let signatureHeaders: Set = [
                "x-hub-signature-256", "stripe-signature", "x-slack-signature", "webhook-signature", "x-signature", "authorization",
            ]
            let forged = signed.map { pair in
                guard signatureHeaders.contains(pair.name.lowercased()) else { return pair }
                return (name: pair.name, value: scheme == .bearer ? "Bearer wrong-token" : "v1,AAAA" + pair.value)
            }
            try await client.execute(
                uri: "/hooks/\(scheme.rawValue)", method: .post, headers: httpFields(forged), body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .unauthorized)
            }
        }
        #expect(try await server.engine.runs(RunQuery()).count == 1)
    }

    @Test func unknownPathAndWrongMethod() async throws {
        let server = try await Self.server()
        try await server.live { client in
            try await client.execute(uri: "/hooks/none", method: .post, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/json")
            }
            try await client.execute(uri: "/hooks/plain", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
        }
    }

    @Test func formBodyAndQueryReachTheRun() async throws {
        let server = try await Self.server()
        try await server.live { client in
            try await client.execute(
                uri: "/hooks/plain?ref=main&x=a+b", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "text=hi+there&n=1")
            ) { response in
                #expect(response.status == .accepted)
                let run = try #require(try await server.finishedRun(response))
                #expect(run.steps.first?.output == ["text": "hi there", "n": "1"])
                #expect(run.trigger["query"] == ["ref": "main", "x": "a b"])
            }
        }
    }

    @Test func healthAndMetrics() async throws {
        let server = try await Self.server()
        try await server.live { client in
            try await client.execute(uri: "/hooks/plain", method: .post, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .accepted)
                _ = try await server.finishedRun(response)
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains(#"triggerd_webhook_deliveries_total{outcome="accepted",workflow="plain"} 1"#))
                #expect(text.contains(#"triggerd_runs{status="completed"} 1"#))
                #expect(text.contains("# TYPE triggerd_step_duration_seconds histogram"))
                #expect(text.contains("triggerd_webhook_ingest_queue_depth 0"))
            }
            server.ingest.beginShutdown()
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
            try await client.execute(uri: "/hooks/plain", method: .post, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] != nil)
            }
        }
    }

    @Test func hugeContentLengthIsRefusedBeforeAnyBodyIsSent() async throws {
        let server = try await Self.server()
        try await server.live { client in
            let port = try #require(client.port)
            let (answer, closed) = try await RawConnection.blocking {
                () -> ((status: Int, headers: String, body: String)?, Bool) in
                let tcp = try #require(RawConnection(port: port, timeout: 10))
                // Announce 10 GB and send none of it: the answer must come anyway, then the end of the stream.
                try #require(
                    tcp.send(
                        "POST /hooks/plain HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 10000000000\r\n\r\n"))
                let answer = tcp.readAnswer(timeout: 10)
                return (answer, tcp.closedByPeer(within: 10))
            }
            let refused = try #require(answer)
            #expect(closed)
            #expect(refused.status == 413)
            #expect(refused.headers.lowercased().contains("connection: close"))
            #expect(refused.body.contains("larger than the limit of 1024 bytes"))
        }
        #expect(server.metrics.value(MetricName.webhookDeliveries, ["workflow": "plain", "outcome": "too_large"]) == 1)
        #expect(try await server.engine.runs(RunQuery()).isEmpty)
    }

    @Test func chunkedBodyIsAbandonedAtTheLimit() async throws {
        let server = try await Self.server()
        try await server.live { client in
            let port = try #require(client.port)
            let (answer, sent) = try await RawConnection.blocking { () -> ((status: Int, headers: String, body: String)?, Int) in
                let tcp = try #require(RawConnection(port: port, timeout: 10))
                try #require(tcp.send("POST /hooks/plain HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"))
                // 512-byte chunks, never the terminating chunk: the answer must come while the body is unfinished.
                let sent = tcp.sendChunkedUntilAnswered(total: 64 << 20, chunk: 512)
                return (tcp.readAnswer(timeout: 10), sent)
            }
            #expect(answer?.status == 413)
            #expect(sent < 64 << 20)
        }
        #expect(try await server.engine.runs(RunQuery()).isEmpty)
    }
}
