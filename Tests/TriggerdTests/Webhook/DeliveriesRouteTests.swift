import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import Triggerd

/// `GET /v1/deliveries` over the control API, backed by a real `DaemonCore` and a delivery stored by the ingest.
@Suite struct DeliveriesRouteTests {
    @Test func listsStoredDeliveriesNewestFirstWithFilters() async throws {
        let server = try await WebhookTestServer(workflows: ["plain": WebhookServerTests.plain])
        var logger = Logger(label: "deliveries.test")
        logger.logLevel = .critical
        let core = DaemonCore(
            configuration: DaemonConfiguration(), engine: server.engine, secrets: [:], clock: SystemClock(), logger: logger)
        let first = await server.ingest.handle(WebhookRequest(method: "POST", path: "/hooks/plain", body: Array("{}".utf8)))
        let second = await server.ingest.handle(WebhookRequest(method: "POST", path: "/hooks/plain", body: Array("{}".utf8)))
        #expect(first.status == 202 && second.status == 202)
        let control = try ControlServer(
            plane: core, socketPath: "/nonexistent/control.sock", socketGroup: nil, logger: logger,
            daemonUID: ControlTest.daemonUID, identifyPeer: { _ in ControlTest.daemonPeer })
        try await control.makeApplication().test(.router) { client in
            try await client.execute(uri: "/v1/deliveries?workflow=plain&limit=1", method: .get) { response in
                #expect(response.status == .ok)
                let rows = try #require(try ControlTest.json(response).arrayValue)
                #expect(rows.count == 1)
                #expect(rows.first?["id"] == second.body["delivery_id"])
                #expect(rows.first?["run_id"] == second.body["run_id"])
                #expect(rows.first?["outcome"] == "started")
            }
            try await client.execute(uri: "/v1/deliveries", method: .get) { response in
                let rows = try ControlTest.json(response)
                #expect(rows.arrayValue?.count == 2)
            }
            try await client.execute(uri: "/v1/deliveries?workflow=other", method: .get) { response in
                let rows = try ControlTest.json(response)
                #expect(rows == [])
            }
            try await client.execute(uri: "/v1/deliveries?limit=0", method: .get) { response in
                try ControlTest.expectError(
                    response, .badRequest, "invalid_input", "?limit= must be a number from 1 to 1000, got '0'")
            }
            try await client.execute(uri: "/v1/deliveries?wokflow=plain", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
