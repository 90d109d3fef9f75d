public import Foundation
public import Logging

/// Fires the `cron:` triggers of the current workflows (SPEC §5).
///
/// Every trigger is one entry in a min-heap of next due times; the scheduler sleeps on the injected clock until
/// the soonest one (woken early when the workflows change), so 10,000 idle schedules cost one sleeping task.
/// Each fire creates its run and its `schedule_ledger` row in one transaction; the ledger's primary key
/// (workflow, trigger key, scheduled time) makes a slot fire at most once across restarts, reloads, clock
/// jumps and even two schedulers on one database.
///
/// - Start: slots missed while the daemon was down (after the ledger's last slot of each trigger) follow the
///   trigger's `catch_up` policy; see `MissedSlots`.
/// - Clock jumps: a sleep that ends more than `Options.grace` after its deadline means the wall clock leapt
///   (NTP step, suspend); the passed slots are treated as downtime, not fired as a burst. A backward jump
///   re-fires nothing: each trigger's next slot is computed after its last one, and the ledger refuses repeats.
/// - Reload (`update(workflows:)`): new or changed schedules start from now; an unchanged trigger keeps its
///   next slot; a removed workflow's triggers stop.
///
/// ```swift
/// let scheduler = CronScheduler(engine: engine, clock: SystemClock(), logger: logger)
/// await scheduler.update(workflows: catalog.byName)
/// try await scheduler.run()   // a Service: runs until graceful shutdown
/// ```
public actor CronScheduler {
    /// Tuning; the defaults suit the daemon.
    public struct Options: Sendable {
        /// Seconds. A sleep that overshoots its deadline by more than this is a clock jump; after a restart or a
        /// jump, a slot at most this old (plus the trigger's jitter) still fires as current rather than missed.
        public var grace: Double
        /// Most slots one trigger may hold back under `overlap: queue`; later ones are recorded as skipped.
        public var maximumQueued: Int
        /// How many upcoming fires `nextFires()` lists.
        public var nextFiresLimit: Int

        public init(grace: Double = 2, maximumQueued: Int = 100, nextFiresLimit: Int = 10) {
            self.grace = grace
            self.maximumQueued = maximumQueued
            self.nextFiresLimit = nextFiresLimit
        }
    }

    typealias Job = @Sendable () async -> Void

    let engine: RunEngine
    let store: Store
    let clock: any EngineClock
    let logger: Logger
    let options: Options
    /// A uniform random number in [0, bound) for jitter (injected so tests can pin it).
    let random: @Sendable (Double) -> Double
    /// Where on-time fire lateness is also observed (`triggerd_scheduler_lateness_seconds`), if anywhere.
    let metrics: Metrics?

    var entries: [String: ScheduleEntry] = [:]
    var heap = ScheduleHeap()
    var generationCounter: UInt64 = 0
    /// Entries with slots held back by `overlap: queue`.
    var queueing: Set<String> = [] {
        // Only their workflows' run ends matter; the rest are not delivered (a wake per run for nothing).
        didSet { self.runEndWorkflows.set(Set(self.queueing.compactMap { self.entries[$0]?.workflow })) }
    }
    /// The workflows whose run ends the scheduler is sent: those of `queueing`. Every insert into `queueing` is
    /// followed by a queue check, so a run that ended before its workflow got here is still noticed.
    let runEndWorkflows = EventBroadcaster.WorkflowFilter()

    // Reconfiguration is serialized: the latest requested set of workflows wins.
    var desired: [String: WorkflowDefinition] = [:]
    var desiredVersion = 0
    var appliedVersion = 0
    var reconciling = false
    var reconcileWaiters: [CheckedContinuation<Void, Never>] = []
    /// `run()` began; the first reconciliation after that does the start-up catch-up.
    var started = false
    var startupDone = false

    let wakeSignal = WakeSignal()
    /// The deadline of the current sleep (nil while awake); tests wait for it.
    public internal(set) var sleepingUntil: Date?
    var lastObservedNow: Date?
    /// Work for the task group of `run()` (fires, queue checks); buffered until it runs.
    let jobs: AsyncStream<Job>
    let jobSink: AsyncStream<Job>.Continuation

    var stats = SchedulerStats()

    public init(
        engine: RunEngine, clock: any EngineClock, logger: Logger, options: Options = Options(), metrics: Metrics? = nil,
        random: @escaping @Sendable (Double) -> Double = { Double.random(in: 0..<$0) }
    ) {
        self.engine = engine
        self.store = engine.store
        self.clock = clock
        self.logger = logger
        self.options = options
        self.random = random
        self.metrics = metrics
        (self.jobs, self.jobSink) = AsyncStream.makeStream(of: Job.self)
    }

    /// Replaces the set of workflows whose cron triggers fire. Before `run()` this only records the set (the
    /// start-up catch-up happens in `run()`); afterwards it applies at once and returns when applied.
    public func update(workflows: [String: WorkflowDefinition]) async {
        self.desired = workflows
        self.desiredVersion += 1
        if self.started { await self.reconcile() }
    }

    /// Applies `desired` until it stops changing; concurrent callers wait for the pass that covers them.
    func reconcile() async {
        if self.reconciling {
            await withCheckedContinuation { self.reconcileWaiters.append($0) }
            return
        }
        self.reconciling = true
        while self.appliedVersion < self.desiredVersion || (self.started && !self.startupDone) {
            let version = self.desiredVersion
            let startup = self.started && !self.startupDone
            await self.apply(self.desired, startup: startup)
            self.appliedVersion = version
            if startup { self.startupDone = true }
        }
        self.reconciling = false
        let waiters = self.reconcileWaiters
        self.reconcileWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    func nextGeneration() -> UInt64 {
        self.generationCounter += 1
        return self.generationCounter
    }

    /// The slot after `slot` and its due time (with jitter, never reaching the slot after it).
    func nextPending(_ trigger: CronTrigger, zone: TimeZone, after slot: Date) -> (slot: Date, due: Date)? {
        guard let next = trigger.schedule.next(after: slot, in: zone) else { return nil }
        guard trigger.jitter > 0 else { return (next, next) }
        var bound = trigger.jitter
        if let following = trigger.schedule.next(after: next, in: zone) {
            bound = min(bound, following.timeIntervalSince(next))
        }
        // Stay a millisecond clear of the next slot: at Unix-epoch magnitudes a Date has sub-microsecond steps,
        // so "just below" the bound could round onto the next slot itself.
        let ceiling = bound - 0.001
        let delay = ceiling > 0 ? min(max(0, self.random(ceiling)), ceiling) : 0
        return (next, next.addingTimeInterval(delay))
    }

    /// Sets an entry's next slot and pushes it on the heap.
    func schedule(_ id: String, after slot: Date) {
        guard var entry = self.entries[id] else { return }
        entry.pending = self.nextPending(entry.trigger, zone: entry.zone, after: slot)
        entry.generation = self.nextGeneration()
        if let pending = entry.pending {
            self.heap.insert(ScheduleHeap.Item(due: pending.due, id: id, generation: entry.generation))
        }
        self.entries[id] = entry
    }

    /// Rebuilds the heap from the entries (drops stale items).
    func rebuildHeap() {
        self.heap.rebuild(
            self.entries.values.compactMap { entry in
                entry.pending.map { ScheduleHeap.Item(due: $0.due, id: entry.id, generation: entry.generation) }
            })
    }

    /// Number of cron triggers scheduled.
    public var scheduleCount: Int { self.entries.count }
}
