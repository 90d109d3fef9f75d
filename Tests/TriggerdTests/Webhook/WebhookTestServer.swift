import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Steps

@testable import Triggerd

/// A real engine (in-memory store, real steps) behind a `WebhookServer` application, for live HTTP tests.
struct WebhookTestServer {
    let engine: RunEngine
    let ingest: WebhookIngest
    let metrics: Metrics
    let server: WebhookServer

    init(workflows: [String: String], secrets: [String: String] = [:]) async throws {
        var logger = Logger(label: "triggerd.webhook.test")
        logger.logLevel = .critical
        let config = DaemonConfiguration()
        let registry = StepLibrary.registry(configuration: config, secrets: secrets, environment: [:])
        self.engine = RunEngine(store: try Store.inMemory(), registry: registry, logger: logger, secrets: secrets)
        var definitions: [String: WorkflowDefinition] = [:]
        for (name, text) in workflows {
            definitions[name] = try WorkflowLoader().load(source: text, file: "\(name).yaml", defaultName: name)
        }
        try await self.engine.setWorkflows(definitions)
        self.metrics = Metrics()
        self.ingest = WebhookIngest(engine: self.engine, configuration: config, secrets: secrets, logger: logger, metrics: self.metrics)
        self.ingest.update(workflows: definitions)
        self.server = WebhookServer(
            ingest: self.ingest, metrics: self.metrics, engine: self.engine, host: "127.0.0.1", port: 0, logger: logger)
    }

    /// Runs `body` against the application listening on 127.0.0.1 (a free port).
    func live(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await self.server.makeApplication().test(.live) { client in try await body(client) }
    }

    /// The run an accepted answer names, once it ended.
    func finishedRun(_ response: TestResponse) async throws -> RunRecord? {
        let answer = try JSONValue.parse(String(buffer: response.body))
        guard let id = answer["run_id"]?.stringValue else { return nil }
        return await self.engine.waitForCompletion(runID: id)
    }
}

/// `HTTPFields` from signer output and extras.
func httpFields(_ pairs: [(name: String, value: String)], contentType: String = "application/json") -> HTTPFields {
    var fields: HTTPFields = [.contentType: contentType]
    for pair in pairs {
        if let name = HTTPField.Name(pair.name) { fields[name] = pair.value }
    }
    return fields
}
