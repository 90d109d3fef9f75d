import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Triggerd

@Suite struct WebhookServerLifecycleTests {
    @Test func aTakenPortEndsRunWithAnErrorNamingTheAddress() async throws {
        let holder = try await WebhookTestServer(workflows: ["plain": WebhookServerTests.plain])
        try await holder.live { client in
            let port = try #require(client.port)
            let second = try await WebhookTestServer(workflows: ["plain": WebhookServerTests.plain])
            let server = WebhookServer(
                ingest: second.ingest, metrics: second.metrics, engine: second.engine, host: "127.0.0.1", port: port,
                logger: second.server.logger)
            do {
                try await server.run()
                Issue.record("run() returned although the port is taken")
            } catch let failure as WebhookListenerFailure {
                #expect(failure.description.hasPrefix("webhook listener on 127.0.0.1:\(port) failed:"))
            }
        }
    }
}
