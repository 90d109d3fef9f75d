import Foundation
import GRDB
import Logging
import Testing

@testable import Engine

@Suite("retention: pruning old runs, events and deliveries")
struct RetentionServiceTests {
    static let day = 86_400.0

    func harness() throws -> EngineHarness {
        let calls = CallLog()
        return try EngineHarness(executors: [ParkStep(kind: "wait_for_approval", calls: calls)], calls: calls)
    }

    func configuration(runs: Double = 30 * day, events: Double = 7 * day, deliveries: Double = 7 * day)
        -> DaemonConfiguration
    {
        var config = DaemonConfiguration()
        config.retention.runs = runs
        config.retention.events = events
        config.retention.deliveries = deliveries
        config.dedupeWindow = 3 * Self.day
        return config
    }

    func count(_ store: Store, _ sql: String) async throws -> Int {
        try await store.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    func insertDelivery(_ store: Store, id: String, at date: Date) async throws {
        let row = DeliveryRows.Row(
            id: id,
            workflow: "wf",
            path: "/hooks/wf",
            dedupeKey: "key-\(id)",
            receivedAt: date,
            outcome: "filtered"
        )
        try await store.write { db in try DeliveryRows.insert(db, row, expiredBefore: nil) }
    }

    @Test func finishedRunsOlderThanRetentionGoWithTheirStepsAndEventsOthersStay() async throws {
        let h = try self.harness()
        _ = try await h.load(
            """
            steps:
              a: { type: transform, with: { value: 1 } }
              b: { type: transform, needs: [a], with: { value: 2 } }
            """
        )
        _ = try await h.load(
            """
            steps:
              ask: { type: wait_for_approval, with: { message: "ok?" } }
            """,
            name: "parked"
        )
        let old = try await h.run("wf")
        let parkedID = try await h.engine.startRun(workflow: "parked", trigger: ["type": "manual"], input: [:])
        _ = try await h.waitUntil(parkedID) { $0.status == .waiting }
        h.clock.advance(by: 31 * Self.day)
        let recent = try await h.run("wf")

        let service = RetentionService(
            store: h.store,
            configuration: self.configuration(),
            clock: h.clock,
            logger: Logger(label: "test")
        )
        let report = try await service.pruneOnce()

        #expect(report.runs == 1)
        #expect(report.runEvents > 0)
        #expect(try await h.engine.run(id: old.id) == nil)
        #expect(try await h.engine.run(id: recent.id)?.status == .completed)
        // A run still waiting is never pruned, however old.
        #expect(try await h.engine.run(id: parkedID)?.status == .waiting)
        let oldSteps = try await self.count(h.store, "SELECT COUNT(*) FROM step_run WHERE run_id = '\(old.id)'")
        let oldEvents = try await self.count(h.store, "SELECT COUNT(*) FROM run_event WHERE run_id = '\(old.id)'")
        #expect(oldSteps == 0)
        #expect(oldEvents == 0)
        #expect(try await self.count(h.store, "SELECT COUNT(*) FROM step_run WHERE run_id = '\(recent.id)'") == 2)
        #expect(try await self.count(h.store, "SELECT COUNT(*) FROM run_event WHERE run_id = '\(recent.id)'") > 0)
        // A second pass finds nothing more.
        #expect(try await service.pruneOnce() == RetentionReport())
    }

    @Test func eventsAndDeliveriesArePrunedByAgeKeepingTheDedupeWindowAndTheNewestEvent() async throws {
        let h = try self.harness()
        _ = try await h.engine.emit(name: "old.one", key: nil, data: [:])
        _ = try await h.engine.emit(name: "old.two", key: nil, data: [:])
        try await self.insertDelivery(h.store, id: "d-old", at: h.clock.now())
        h.clock.advance(by: 5 * Self.day)
        try await self.insertDelivery(h.store, id: "d-mid", at: h.clock.now())
        h.clock.advance(by: 5 * Self.day)
        // Now: the old ones are 10 days old, the middle delivery 5 days.

        // deliveries: 1 day, but the 3-day dedupe window wins; events: 1 day.
        let config = self.configuration(events: 1 * Self.day, deliveries: 1 * Self.day)
        let service = RetentionService(
            store: h.store,
            configuration: config,
            clock: h.clock,
            logger: Logger(label: "test")
        )
        let report = try await service.pruneOnce()

        #expect(report.deliveries == 2)
        // Both events are old, but the newest is kept so event numbering keeps increasing.
        #expect(report.events == 1)
        #expect(try await self.count(h.store, "SELECT COUNT(*) FROM event WHERE name = 'old.two'") == 1)

        try await self.insertDelivery(h.store, id: "d-new", at: h.clock.now().addingTimeInterval(-2 * Self.day))
        #expect(try await service.pruneOnce().deliveries == 0)  // inside the dedupe window: kept
        #expect(try await self.count(h.store, "SELECT COUNT(*) FROM delivery") == 1)
    }

    @Test func largeBacklogsGoInSmallBatchesOneTransactionEach() async throws {
        let h = try self.harness()
        _ = try await h.load("steps:\n  a: { type: transform, with: { value: 1 } }\n")
        for _ in 0..<7 { _ = try await h.run("wf") }
        h.clock.advance(by: 40 * Self.day)
        let commitsBefore = h.store.commits

        let service = RetentionService(
            store: h.store,
            configuration: self.configuration(),
            clock: h.clock,
            logger: Logger(label: "test"),
            batchSize: 2
        )
        let report = try await service.pruneOnce()

        #expect(report.runs == 7)
        #expect(try await self.count(h.store, "SELECT COUNT(*) FROM run") == 0)
        // 7 runs in batches of 2: 4 run batches (the last short), plus one empty batch each for events and
        // deliveries.
        let commits = h.store.commits - commitsBefore
        #expect(commits == 6)
    }

    @Test func zeroRetentionKeepsForever() async throws {
        let h = try self.harness()
        _ = try await h.load("steps:\n  a: { type: transform, with: { value: 1 } }\n")
        let run = try await h.run("wf")
        _ = try await h.engine.emit(name: "x", key: nil, data: [:])
        _ = try await h.engine.emit(name: "y", key: nil, data: [:])
        h.clock.advance(by: 400 * Self.day)
        let config = self.configuration(runs: 0, events: 0, deliveries: 0)
        let service = RetentionService(
            store: h.store,
            configuration: config,
            clock: h.clock,
            logger: Logger(label: "test")
        )
        #expect(try await service.pruneOnce() == RetentionReport())
        #expect(try await h.engine.run(id: run.id) != nil)
    }

    @Test func theServicePrunesAtStartThenEveryIntervalOnTheInjectedClock() async throws {
        let h = try self.harness()
        _ = try await h.load("steps:\n  a: { type: transform, with: { value: 1 } }\n")
        let first = try await h.run("wf")
        let (passes, continuation) = AsyncStream.makeStream(of: RetentionReport.self)
        let metrics = Metrics()
        let service = RetentionService(
            store: h.store,
            configuration: self.configuration(runs: 1 * Self.day),
            clock: h.clock,
            logger: Logger(label: "test"),
            metrics: metrics,
            interval: 3600,
            onPass: { continuation.yield($0) }
        )
        let task = Task { try await service.run() }
        var iterator = passes.makeAsyncIterator()

        // At start: nothing is old enough yet.
        #expect(await iterator.next() == RetentionReport())
        h.clock.advance(by: 2 * Self.day)
        let second = try await h.run("wf")
        // The service sleeps on the manual clock until the next hour; moving the clock wakes it.
        try await Self.waitForSleeper(h.clock)
        h.clock.advance(by: 3600)
        let report = await iterator.next()
        #expect(report?.runs == 1)
        #expect(try await h.engine.run(id: first.id) == nil)
        #expect(try await h.engine.run(id: second.id) != nil)
        #expect(metrics.value(RetentionService.prunedMetric, ["kind": "runs"]) == 1)

        task.cancel()
        _ = try? await task.value
    }

    /// Waits (yielding, never sleeping) until something sleeps on the clock.
    static func waitForSleeper(_ clock: ManualClock) async throws {
        for _ in 0..<100_000 where clock.sleeperCount == 0 { await Task.yield() }
        try #require(clock.sleeperCount > 0, "the retention service never went to sleep")
    }
}
