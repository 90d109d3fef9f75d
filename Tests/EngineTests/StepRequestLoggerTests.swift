import Foundation
import Logging
import Synchronization
import Testing

@testable import Engine

/// An attempt's logger carries the run, workflow, step and attempt, attached when an executor reads it.
@Suite("step request logger")
struct StepRequestLoggerTests {
    /// Keeps the handler metadata and each line's merged metadata.
    struct MetadataCapture: LogHandler {
        let sink: Sink
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
            self.sink.lines.withLock { $0.append(merged) }
        }
    }

    final class Sink: Sendable {
        let lines = Mutex<[Logger.Metadata]>([])
        var logger: Logger {
            Logger(label: "test") { _ in MetadataCapture(sink: self) }
        }
    }

    static func request(_ sink: Sink) throws -> StepRequest {
        let step = StepDefinition(id: "notify", type: "http_request")
        return StepRequest(
            step: step, runID: "run-1", workflow: "deploy", attempt: 3,
            scope: ExpressionScope(roots: [:], now: Date()), now: Date(), engineLogger: sink.logger, secretValues: [])
    }

    @Test func theEngineLoggerGetsTheAttemptMetadataWhenRead() throws {
        let sink = Sink()
        try Self.request(sink).logger.info("sending")
        let line = try #require(sink.lines.withLock { $0.first })
        #expect(line[LogKey.runID] == "run-1")
        #expect(line[LogKey.workflow] == "deploy")
        #expect(line[LogKey.step] == "notify")
        #expect(line[LogKey.attempt] == "3")
    }

    @Test func metadataAddedByAnExecutorKeepsTheAttemptMetadata() throws {
        let sink = Sink()
        var request = try Self.request(sink)
        request.logger[metadataKey: "url"] = "http://127.0.0.1/"
        request.logger.info("sending")
        let line = try #require(sink.lines.withLock { $0.first })
        #expect(line["url"] == "http://127.0.0.1/")
        #expect(line[LogKey.step] == "notify")
    }

    @Test func anAssignedLoggerIsUsedAsGiven() throws {
        let sink = Sink()
        var request = try Self.request(sink)
        var plain = sink.logger
        plain[metadataKey: "only"] = "this"
        request.logger = plain
        request.logger.info("sending")
        let line = try #require(sink.lines.withLock { $0.first })
        #expect(line["only"] == "this")
        #expect(line[LogKey.runID] == nil)
    }
}
