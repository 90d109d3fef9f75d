public import Foundation
import GRDB
public import Logging

/// Drives runs: starts them, runs their steps as the graph allows, commits every outcome before dependents
/// start, parks waits durably, and resumes everything after a restart.
///
/// One actor owns all in-memory run state. Step attempts run outside it and report back with
/// `stepFinished`. Every state change is committed (batched with concurrent changes) before its effects
/// (new attempts, published events) happen.
public actor RunEngine {
    public let store: Store
    let registry: StepRegistry
    let clock: any EngineClock
    let logger: Logger
    let broadcaster = EventBroadcaster()
    /// Told about every step attempt that ends in this process (step duration metrics).
    public nonisolated let stepObservers = StepObservers()
    // The secrets, kept only in the forms runs use, all made by `secretForms` when they change: masks for
    // everything stored, the values each step request masks, and the `secrets` expression root (built once,
    // not per attempt or scope).
    var redactor: Redactor
    var secretValues: [String]
    var secretsRoot: JSONValue
    /// `env` as an expression root, built once instead of for every scope.
    let envRoot: JSONValue
    /// Current definitions by workflow name (from the catalog).
    var workflows: [String: WorkflowDefinition] = [:]
    /// Every definition version seen, with its planner.
    var versions: [String: (definition: WorkflowDefinition, planner: GraphPlanner)] = [:]
    var active: [String: ActiveRun] = [:]
    var timers = TimerHeap()
    var timerTarget: Date?
    var wakeContinuation: CheckedContinuation<Void, Never>?
    var completionWaiters: [String: [CheckedContinuation<RunRecord?, Never>]] = [:]
    var concurrency = ConcurrencyTracker()
    var shuttingDown = false
    var nextRunSeq: Int64 = 0
    var queuedToStart: [String] = []
    /// The work queue (`RunEngine+Queue`): unclaimed runs by workflow, the pump's state, and the total for
    /// readers outside the actor.
    var backlog: [String: Int] = [:]
    var pumping = false
    var pumpAgain = false
    var lastServed = ""
    var acceptedRuns: [String: [QueueRows.Queued]] = [:]
    var acceptedCount = 0
    nonisolated let queueGauge = QueueGauge()
    /// Runs of one workflow running at once before its queued runs wait (waiting runs do not count).
    let runningPerWorkflow: Int
    /// Counters for metrics.
    public internal(set) var stepTransitions: Int = 0
    public internal(set) var runsStarted: Int = 0

    public init(
        store: Store, registry: StepRegistry, clock: any EngineClock = SystemClock(), logger: Logger,
        secrets: [String: String] = [:], env: [String: String] = [:],
        runningPerWorkflow: Int = RunQueue.runningPerWorkflow
    ) {
        self.store = store
        self.runningPerWorkflow = max(1, runningPerWorkflow)
        self.registry = registry
        self.clock = clock
        self.logger = logger
        (self.redactor, self.secretValues, self.secretsRoot) = Self.secretForms(secrets)
        self.envRoot = .object(env.mapValues { .string($0) })
    }

    /// The forms of `secrets` the engine keeps: a redactor, the values, and the expression root.
    private static func secretForms(_ secrets: [String: String]) -> (Redactor, [String], JSONValue) {
        let values = Array(secrets.values)
        return (Redactor(secrets: values), values, .object(secrets.mapValues { .string($0) }))
    }

    /// Replaces the set of current workflows (after a reload) and records their versions.
    public func setWorkflows(_ definitions: [String: WorkflowDefinition]) async throws {
        self.workflows = definitions
        let fresh = definitions.values.filter { self.versions[$0.version] == nil }
        for definition in fresh { self.versions[definition.version] = (definition, GraphPlanner(definition)) }
        guard !fresh.isEmpty else { return }
        let now = self.clock.now()
        try await self.store.write { db in
            for definition in fresh { try RunRows.insertVersion(db, definition, at: now) }
        }
    }

    /// The current definition of a workflow.
    public func workflow(named name: String) -> WorkflowDefinition? { self.workflows[name] }

    /// Updates secret values (they are masked as `***` in everything stored from now on).
    public func setSecrets(_ secrets: [String: String]) {
        (self.redactor, self.secretValues, self.secretsRoot) = Self.secretForms(secrets)
    }

    /// Stops starting new work; attempts in flight get `grace` seconds to finish, then are cancelled and left
    /// as `running` in the store so they run again after the restart.
    public func shutdown(grace: Double) async {
        self.shuttingDown = true
        let deadline = Date().addingTimeInterval(grace)
        while Date() < deadline, self.active.values.contains(where: { !$0.tasks.isEmpty }) {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for run in self.active.values {
            for task in run.tasks.values { task.cancel() }
        }
        for run in self.active.values {
            for task in run.tasks.values { await task.value }
        }
        self.broadcaster.finishAll()
        self.wakeContinuation?.resume()
        self.wakeContinuation = nil
    }

    /// Live events (of one run, or all; of the given kinds, or all) from now on.
    public func subscribe(runID: String?, kinds: Set<RunEvent.Kind>? = nil) -> AsyncStream<RunEvent> {
        self.broadcaster.subscribe(runID: runID, kinds: kinds)
    }

    /// Live events of the kinds given, of the workflows `workflows` names when each is published.
    func subscribe(kinds: Set<RunEvent.Kind>, workflows: EventBroadcaster.WorkflowFilter) -> AsyncStream<RunEvent> {
        self.broadcaster.subscribe(runID: nil, kinds: kinds, workflows: workflows)
    }

    /// Waits until the run reaches a terminal status, then returns it (nil if the run does not exist).
    public func waitForCompletion(runID: String) async -> RunRecord? {
        if let record = try? await self.store.read({ db in try RunRows.fetchRun(db, id: runID) }), record.status.isTerminal {
            return record
        }
        let known = self.active[runID] != nil
        let nonTerminal = known ? true : ((try? await self.isNonTerminal(runID)) ?? false)
        guard nonTerminal else {
            return try? await self.store.read { db in try RunRows.fetchRun(db, id: runID) }
        }
        return await withCheckedContinuation { continuation in
            self.completionWaiters[runID, default: []].append(continuation)
        }
    }

    private func isNonTerminal(_ runID: String) async throws -> Bool {
        let status = try await self.store.read { db in try String.fetchOne(db, sql: "SELECT status FROM run WHERE id = ?", arguments: [runID]) }
        return status.flatMap(RunStatus.init(rawValue:)).map { !$0.isTerminal } ?? false
    }

    func definition(version: String) async throws -> (definition: WorkflowDefinition, planner: GraphPlanner) {
        if let known = self.versions[version] { return known }
        guard let stored = try await self.store.read({ db in try RunRows.versionSource(db, version: version) }) else {
            throw EngineError(.internal, "workflow version \(version) is missing from the store")
        }
        let definition: WorkflowDefinition
        do {
            definition = try WorkflowLoader().load(source: stored.source, file: stored.file, defaultName: stored.name)
        } catch {
            throw EngineError(.internal, "stored workflow version \(version) no longer loads: \(error)")
        }
        let entry = (definition, GraphPlanner(definition))
        self.versions[version] = entry
        return entry
    }

    /// The scope step templates see.
    func scope(for run: ActiveRun, extra: [String: JSONValue] = [:]) -> ExpressionScope {
        var steps: [String: JSONValue] = [:]
        for (id, state) in run.steps {
            steps[id] = .object([
                "output": state.output ?? .null, "status": .string(state.status.rawValue),
                "error": state.error.map { .string($0) } ?? .null, "attempts": .number(Double(state.attempts)),
            ])
        }
        var roots: [String: JSONValue] = [
            "trigger": run.trigger, "input": run.input, "steps": .object(steps),
            "run": .object([
                "id": .string(run.id), "workflow": .string(run.workflow),
                "started_at": .string(Timestamp.format(run.startedAt ?? run.createdAt)),
            ]),
            "env": self.envRoot,
            "secrets": self.secretsRoot,
        ]
        for (k, v) in extra { roots[k] = v }
        return ExpressionScope(roots: roots, now: self.clock.now())
    }

    func runLogger(_ run: ActiveRun) -> Logger {
        var logger = self.logger
        logger[metadataKey: LogKey.runID] = "\(run.id)"
        logger[metadataKey: LogKey.workflow] = "\(run.workflow)"
        return logger
    }
}

/// Every logging metadata key triggerd emits. Add keys here, never inline.
public enum LogKey {
    public static let runID = "run.id"
    public static let workflow = "workflow"
    public static let step = "step"
    public static let stepKind = "step.kind"
    public static let attempt = "attempt"
    public static let file = "file"
    public static let path = "path"
    public static let deliveryID = "delivery.id"
    public static let error = "error"
    public static let trigger = "trigger"
    /// Webhook ingest: the peer's address and why a delivery was refused (never a secret).
    public static let remoteAddress = "net.peer"
    public static let reason = "reason"
    /// Cron scheduler: a slot's nominal time, counts of missed and caught-up slots, a clock jump in seconds,
    /// the number of schedules loaded.
    public static let scheduledAt = "cron.scheduled_at"
    public static let missed = "cron.missed"
    public static let caughtUp = "cron.caught_up"
    public static let jump = "cron.clock_jump"
    public static let schedules = "cron.schedules"
    /// An outbound request as `METHOD url` (credentials and query removed).
    public static let httpRequest = "http.request"
    public static let httpStatus = "http.status"
    /// `llm_call` provider and model.
    public static let llmProvider = "llm.provider"
    public static let llmModel = "llm.model"
    /// Tokens one `llm_call` attempt used.
    public static let llmTokensIn = "llm.tokens.in"
    public static let llmTokensOut = "llm.tokens.out"
    /// `database_query`'s database name, and rows a statement changed.
    public static let database = "db.name"
    public static let databaseChanges = "db.changes"
    /// An SMTP server as `SMTP url` (credentials removed).
    public static let smtpServer = "smtp.server"
    /// Retention: records one pass removed, by kind.
    public static let prunedRuns = "retention.runs"
    public static let prunedEvents = "retention.events"
    public static let prunedDeliveries = "retention.deliveries"
    public static let prunedScheduleLedger = "retention.schedule_ledger"
    /// A file the daemon wrote (`triggerctl backup`) and its size.
    public static let backupPath = "backup.path"
    public static let bytes = "bytes"
    /// Socket activation: the names of the sockets systemd passed.
    public static let socketNames = "listen.fds"
    /// The type of a run event (`step.completed`) in debug lines.
    public static let event = "event"
    /// How many secrets a reload read (names and values are never logged).
    public static let secrets = "secrets.count"
}
