public import Foundation
import GRDB
public import Logging
public import ServiceLifecycle

/// Prunes old records in the background (`retention:` in `triggerd.yaml`): finished runs with everything hanging
/// off them (steps, for-each items, waits, approval decisions, their event-stream rows), emitted events, and
/// webhook deliveries.
///
/// ```swift
/// let retention = RetentionService(store: store, configuration: config, clock: clock, logger: logger)
/// services.append(.init(service: retention))   // prunes at start, then every hour
/// ```
///
/// Rows go in batches of `batchSize` per transaction through the store's group-committing writer, so a
/// writer waiting behind a pass waits for one small batch, never for the whole pass. A retention of zero (or
/// less) keeps that kind of record forever. Deliveries are kept at least `dedupe_window`, because webhook
/// de-duplication looks them up. A pass that fails is logged and tried again at the next interval.
public struct RetentionService: Service {
    let store: Store
    let retention: RetentionConfiguration
    let dedupeWindow: Double
    let clock: any EngineClock
    let logger: Logger
    let metrics: Metrics?
    /// Seconds between passes.
    let interval: Double
    /// Rows (runs, events or deliveries) deleted per transaction.
    let batchSize: Int
    /// Called after each pass with what it removed (tests observe passes through it).
    let onPass: @Sendable (RetentionReport) -> Void

    /// The metric family this service counts removed records in (label `kind`: `runs`, `run_events`,
    /// `events`, `deliveries`).
    public static let prunedMetric = "triggerd_retention_pruned_total"

    /// A service pruning `store` by `configuration.retention` (and `dedupe_window` for deliveries).
    public init(
        store: Store,
        configuration: DaemonConfiguration,
        clock: any EngineClock,
        logger: Logger,
        metrics: Metrics? = nil,
        interval: Double = 3600,
        batchSize: Int = 500,
        onPass: @escaping @Sendable (RetentionReport) -> Void = { _ in }
    ) {
        self.store = store
        self.retention = configuration.retention
        self.dedupeWindow = configuration.dedupeWindow
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.interval = max(interval, 1)
        self.batchSize = max(batchSize, 1)
        self.onPass = onPass
        metrics?.describe(Self.prunedMetric, kind: .counter, help: "Records removed by retention, by kind.")
    }

    /// Prunes once at start, then every `interval`, until graceful shutdown or cancellation.
    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await self.passLogged()
            let next = self.clock.now().addingTimeInterval(self.interval)
            do {
                try await cancelWhenGracefulShutdown { try await self.clock.sleep(until: next) }
            } catch {
                return  // cancelled by shutdown
            }
        }
    }

    /// One pass that never throws: failures are logged; the report says what was removed before them.
    @discardableResult
    func passLogged() async -> RetentionReport {
        var report = RetentionReport()
        do {
            try await self.prune(into: &report)
        } catch {
            self.logger.error("Retention pass failed", metadata: [LogKey.error: "\(error)"])
        }
        if report.total > 0 {
            self.logger.info(
                "Retention pass removed old records",
                metadata: [
                    LogKey.prunedRuns: "\(report.runs)", LogKey.prunedEvents: "\(report.events)",
                    LogKey.prunedDeliveries: "\(report.deliveries)",
                    LogKey.prunedScheduleLedger: "\(report.scheduleLedger)",
                ]
            )
        }
        self.onPass(report)
        return report
    }

    /// One pass: every kind, batch by batch, until nothing older than its cutoff is left.
    public func pruneOnce() async throws -> RetentionReport {
        var report = RetentionReport()
        try await self.prune(into: &report)
        return report
    }

    private func prune(into report: inout RetentionReport) async throws {
        let now = self.clock.now()
        if self.retention.runs > 0 {
            let cutoff = now.addingTimeInterval(-self.retention.runs).timeIntervalSince1970
            while true {
                let (runs, events) = try await self.store.write { [batchSize] db in
                    try RetentionRows.deleteRuns(db, endedBefore: cutoff, limit: batchSize)
                }
                report.runs += runs
                report.runEvents += events
                self.count("runs", runs)
                self.count("run_events", events)
                if runs < self.batchSize { break }
                await Task.yield()
            }
            report.scheduleLedger += try await self.pruneLedger(scheduledBefore: cutoff)
        }
        if self.retention.events > 0 {
            let cutoff = now.addingTimeInterval(-self.retention.events).timeIntervalSince1970
            report.events += try await self.batches("events") { db, limit in
                try RetentionRows.deleteEvents(db, receivedBefore: cutoff, limit: limit)
            }
        }
        if self.retention.deliveries > 0 {
            let keep = max(self.retention.deliveries, self.dedupeWindow)
            let cutoff = now.addingTimeInterval(-keep).timeIntervalSince1970
            report.deliveries += try await self.batches("deliveries") { db, limit in
                try RetentionRows.deleteDeliveries(db, receivedBefore: cutoff, limit: limit)
            }
        }
    }

    /// Ledger rows older than the run retention, trigger by trigger, at most `batchSize` rows per transaction
    /// (one cron firing every second adds 86,400 rows a day; unpruned, the ledger outgrows everything else).
    private func pruneLedger(scheduledBefore cutoff: Double) async throws -> Int {
        let triggers = try await self.store.read { db in try RetentionRows.ledgerTriggers(db) }
        var next = 0
        var total = 0
        while next < triggers.count {
            let (removed, reached) = try await self.store.write { [batchSize, next] db -> (Int, Int) in
                var removed = 0
                var index = next
                while index < triggers.count, removed < batchSize {
                    let asked = batchSize - removed
                    let trigger = triggers[index]
                    let deleted = try RetentionRows.deleteLedger(
                        db, workflow: trigger.workflow, key: trigger.key, scheduledBefore: cutoff, limit: asked)
                    removed += deleted
                    // Fewer than asked: this trigger has nothing older left; otherwise stay on it next batch.
                    if deleted < asked { index += 1 }
                }
                return (removed, index)
            }
            total += removed
            self.count("schedule_ledger", removed)
            next = reached
            await Task.yield()
        }
        return total
    }

    /// Runs `delete` one batch per transaction until a batch comes back short; returns the rows removed.
    private func batches(
        _ kind: String,
        _ delete: @escaping @Sendable (Database, Int) throws -> Int
    ) async throws -> Int {
        var total = 0
        while true {
            let removed = try await self.store.write { [batchSize] db in try delete(db, batchSize) }
            total += removed
            self.count(kind, removed)
            if removed < self.batchSize { return total }
            // Let other writers queue up between batches (the batcher commits them in arrival order).
            await Task.yield()
        }
    }

    private func count(_ kind: String, _ amount: Int) {
        guard amount > 0 else { return }
        self.metrics?.increment(Self.prunedMetric, ["kind": kind], by: Double(amount))
    }
}

/// What one retention pass removed.
public struct RetentionReport: Sendable, Equatable {
    /// Finished runs (their steps, items, waits and decisions went with them).
    public var runs = 0
    /// Event-stream rows of those runs.
    public var runEvents = 0
    /// Emitted events (`POST /v1/events`, webhook `emit:`).
    public var events = 0
    /// Webhook delivery records.
    public var deliveries = 0
    /// Cron fire-ledger rows (each trigger keeps its newest row and its queued slots).
    public var scheduleLedger = 0

    public init(runs: Int = 0, runEvents: Int = 0, events: Int = 0, deliveries: Int = 0, scheduleLedger: Int = 0) {
        self.runs = runs
        self.runEvents = runEvents
        self.events = events
        self.deliveries = deliveries
        self.scheduleLedger = scheduleLedger
    }

    /// Every row counted above.
    public var total: Int { self.runs + self.runEvents + self.events + self.deliveries + self.scheduleLedger }
}
