import Foundation
import Logging
import Synchronization
import Testing

@testable import Engine

/// A `WebhookIngest` over an `EngineHarness` (in-memory store, manual clock, scripted steps).
struct IngestHarness {
    let base: EngineHarness
    let ingest: WebhookIngest
    let metrics: Metrics
    let logs: LogCapture
    var clock: ManualClock { self.base.clock }
    var engine: RunEngine { self.base.engine }

    init(
        _ workflows: [String: String],
        secrets: [String: String] = [:],
        queue: Int = 10_000,
        store: Store? = nil,
        executors: [any StepExecutor] = [],
        runningPerWorkflow: Int = RunQueue.runningPerWorkflow
    ) async throws {
        self.base = try EngineHarness(store: store, executors: executors, secrets: secrets, runningPerWorkflow: runningPerWorkflow)
        for name in workflows.keys.sorted() { _ = try await self.base.load(workflows[name]!, name: name) }
        var config = DaemonConfiguration()
        config.ingestQueue = queue
        self.metrics = Metrics()
        self.logs = LogCapture()
        let logs = self.logs
        var logger = Logger(label: "ingest-test") { _ in logs }
        logger.logLevel = .trace
        self.ingest = WebhookIngest(
            engine: self.base.engine, configuration: config, secrets: secrets, clock: self.base.clock, logger: logger,
            metrics: self.metrics)
        self.ingest.update(workflows: await self.base.engine.workflowsForTests)
    }

    /// Sends one delivery at the clock's time.
    func post(
        _ path: String,
        _ body: String = "{}",
        headers: [String: String] = ["content-type": "application/json"],
        method: String = "POST",
        query: [String: String] = [:]
    ) async -> WebhookAnswer {
        await self.ingest.handle(
            WebhookRequest(
                method: method, path: path, headers: headers, query: query, body: Array(body.utf8),
                remoteAddress: "127.0.0.1:40000"))
    }

    /// Every stored delivery, newest first.
    func deliveries() async throws -> [JSONValue] {
        try await self.ingest.deliveries(workflow: nil, limit: 1000)
    }

    func runCount() async throws -> Int {
        try await self.engine.runs(RunQuery(limit: 1000)).count
    }

    /// The run an accepted answer names, once it has ended.
    func finishedRun(_ answer: WebhookAnswer) async throws -> RunRecord {
        let id = try #require(answer.body["run_id"]?.stringValue, "answer has no run_id: \(answer)")
        return try #require(await self.engine.waitForCompletion(runID: id))
    }

    /// `triggerd_webhook_deliveries_total` for one workflow and outcome (0 when never counted).
    func counted(_ workflow: String, _ outcome: String) -> Double {
        self.metrics.value(MetricName.webhookDeliveries, ["workflow": workflow, "outcome": outcome]) ?? 0
    }
}

/// Collects log lines (message plus metadata values) so tests can check what was logged and what was not.
final class LogCapture: LogHandler, Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { self.lines.withLock { $0 } }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        self.lines.withLock { $0.append(([event.level.rawValue, "\(event.message)"] + fields).joined(separator: " ")) }
    }
}
