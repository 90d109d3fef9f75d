import Engine
import Foundation
import Logging
import Steps
import Testing

/// Outbound steps run by the real engine (system clock, in-memory store) against the fixture server:
/// the step's failure classification meets the engine's retry policy.
@Suite struct OutboundEngineTests {
    private static func engine(_ yaml: String, transport: CurlTransport) async throws -> RunEngine {
        let registry = StepLibrary.registry(
            configuration: DaemonConfiguration(), secrets: [:], environment: [:],
            resources: OutboundResources(http: transport, mail: transport))
        let engine = RunEngine(store: try Store.inMemory(), registry: registry, logger: Logger(label: "test"))
        let definition = try WorkflowLoader().load(source: yaml, file: "wf.yaml", defaultName: "wf")
        try await engine.setWorkflows([definition.name: definition])
        return engine
    }

    /// Runs `body` while the engine's timer loop (which fires retries) runs, then stops the loop.
    private static func withTimers(_ engine: RunEngine, _ body: () async throws -> Void) async throws {
        let timers = Task { await engine.runTimers() }
        defer { timers.cancel() }
        try await body()
    }

    @Test func retryWaitsForRetryAfterRatherThanTheShorterBackoff() async throws {
        try await FixtureProcess.with("http_server.py") { server in
            let transport = CurlTransport()
            let engine = try await Self.engine(
                """
                name: wf
                triggers: [{ manual: {} }]
                steps:
                  call:
                    type: http_request
                    retry: { attempts: 3, backoff: fixed, initial_delay: 100ms, jitter: false }
                    with: { url: "\(server.url("/flaky?key=ra&failures=1&status=429&retry_after=1"))" }
                """, transport: transport)
            try await Self.withTimers(engine) {
                let id = try await engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
                let record = try #require(await engine.waitForCompletion(runID: id))
                #expect(record.status == .completed)
                #expect(record.steps.first?.attempts == 2)
                #expect(record.steps.first?.output?["body"] == ["attempt": 2])
                let times = try await StepTesting.getJSON(server.url("/recorded?key=ra"), via: transport).arrayValue?
                    .compactMap { $0["at"]?.doubleValue } ?? []
                #expect(times.count == 2)
                // Retry-After: 1 won over the 100ms backoff (a little slack for clock granularity).
                #expect((times.last ?? 0) - (times.first ?? 0) >= 0.9)
            }
        }
    }

    @Test func clientErrorFailsTheRunWithoutRetrying() async throws {
        try await FixtureProcess.with("http_server.py") { server in
            let transport = CurlTransport()
            let engine = try await Self.engine(
                """
                name: wf
                triggers: [{ manual: {} }]
                steps:
                  call:
                    type: http_request
                    retry: { attempts: 5, initial_delay: 100ms }
                    with: { url: "\(server.url("/flaky?key=gone&failures=9&status=404"))" }
                """, transport: transport)
            try await Self.withTimers(engine) {
                let id = try await engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
                let record = try #require(await engine.waitForCompletion(runID: id))
                #expect(record.status == .failed)
                #expect(record.steps.first?.attempts == 1)
                #expect(record.steps.first?.error?.contains("answered 404 (expected 200-299)") == true)
                #expect(record.steps.first?.output?["status"] == 404)
            }
        }
    }

    @Test func llmSummaryExampleRunsAgainstTheFakeModelServer() async throws {
        try await FixtureProcess.with("llm_server.py") { server in
            let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("etc/workflows/llm-summary.yaml")
            // The example points at a fixed local port; the test's fake listens on a free one.
            let yaml = try String(contentsOf: example, encoding: .utf8)
                .replacingOccurrences(of: "http://127.0.0.1:8081/v1", with: server.url("/v1"))
            let engine = try await Self.engine(yaml, transport: CurlTransport())
            let id = try await engine.startRun(workflow: "llm-summary", trigger: ["type": "manual"], input: ["text": "disk full on db-2"])
            let record = try #require(await engine.waitForCompletion(runID: id))
            #expect(record.status == .completed, "\(record.error ?? "")")
            #expect(record.output?["severity"] == "info")
            #expect(record.output?["summary"]?.stringValue?.hasSuffix("disk full on db-2") == true)
            #expect(record.output?["tokens"]?["calls"] == 1)
        }
    }
}
