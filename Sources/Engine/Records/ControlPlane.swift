public import Foundation

/// Everything the control API and the webhook listener may ask of the engine.
///
/// `Triggerd` maps these calls to HTTP; Engine never sees HTTP. Throwing an `EngineError` means the request
/// was refused for a reason a person can act on (its `code` picks the HTTP status at the edge).
public protocol ControlPlane: Sendable {
    func status() async throws -> StatusSnapshot
    func workflows() async -> [WorkflowSummary]
    func workflow(named name: String) async -> WorkflowSummary?
    /// Starts a manual run after validating `input` against the workflow's `inputs`. Returns the run id.
    func startRun(workflow: String, input: JSONValue) async throws -> String
    func runs(_ query: RunQuery) async throws -> [RunRecord]
    /// One run with all its steps, or nil.
    func run(id: String) async throws -> RunRecord?
    func cancel(runID: String) async throws
    /// Starts a new run from the failed step, keeping earlier outputs. Returns the new run id.
    func retry(runID: String) async throws -> String
    /// Re-reads the secrets (when the daemon has a source for them), then rescans the workflows directory.
    func reload() async -> ReloadReport
    /// One run's stored events with `seq > after`, oldest first, at most `limit`; nil when there is no such run.
    func runEvents(runID: String, after: Int64, limit: Int) async throws -> [RunEvent]?
    /// Stored events with `seq > after` (optionally of one run), then live ones until the consumer stops.
    func eventStream(after: Int64, runID: String?) async -> AsyncStream<RunEvent>
    /// The sequence number of the newest stored event (0 when there is none): a page rendered after reading it
    /// streams from there, so no change is missed and none is replayed from the beginning.
    func latestEventSeq() async throws -> Int64
    func approvals() async throws -> [PendingApproval]
    /// Records a decision; `stepID` may be nil when the run has exactly one pending approval.
    func decide(runID: String, stepID: String?, approve: Bool, comment: String?, by peer: PeerIdentity) async throws
        -> ApprovalDecision
    func emit(name: String, key: String?, data: JSONValue) async throws -> EmitResult
    /// Every cron trigger with its next fire, last fire, lateness and misses (`GET /v1/schedules`).
    func schedules() async throws -> [JSONValue]
    /// One cron trigger's fire ledger, newest slot first: slots before `before` (all when nil), at most `limit`,
    /// each with its outcome and reason. Unknown workflow or trigger: `EngineError.notFound`.
    func scheduleLedger(workflow: String, trigger: String, before: Date?, limit: Int) async throws -> [ScheduleSlot]
    /// Recent webhook deliveries, newest first, at most `limit`, optionally of one workflow.
    func deliveries(workflow: String?, limit: Int) async throws -> [JSONValue]
    /// Starts a new run from a stored webhook delivery, its trigger marked `replay_of`; returns the run id.
    func replay(deliveryID: String) async throws -> String
    /// Creates a console token and returns it (shown once; only its hash is kept).
    func createToken(name: String, role: ConsoleToken.Role, by creator: String) async throws -> String
    /// Every console token, without secrets.
    func tokens() async throws -> [ConsoleToken]
    func revokeToken(name: String) async throws
    /// The token whose secret is `secret` (looked up by its SHA-256), or nil when unknown or revoked.
    func token(secret: String) async throws -> ConsoleToken?
    /// Writes a consistent copy of the database to `path` (absolute, not yet existing; `triggerctl backup`).
    func backup(to path: String) async throws -> BackupReport
    /// The stored versions of a workflow, newest first; nil for a workflow the daemon never knew.
    func workflowVersions(name: String) async throws -> [WorkflowVersion]?
    /// One stored version with its source; `version` may be a unique prefix. Nil when there is no such version.
    func workflowVersion(name: String, version: String) async throws -> WorkflowVersion?
    /// Runs a loaded workflow offline with mocked steps (`triggerctl test` semantics); nothing is stored.
    func dryRun(workflow: String, _ request: DryRunRequest) async throws -> DryRunReport
    /// Item counts of the run's `for_each` steps that have started, by step id.
    func itemProgress(runID: String) async throws -> [String: ItemProgress]
}

extension ControlPlane {
    /// No scheduler behind this plane: no schedules.
    public func schedules() async throws -> [JSONValue] { [] }

    /// No scheduler behind this plane: no ledger.
    public func scheduleLedger(workflow: String, trigger: String, before: Date?, limit: Int) async throws -> [ScheduleSlot] {
        throw EngineError(.notFound, "no cron trigger '\(trigger)' in workflow '\(workflow)'")
    }

    /// No webhook listener behind this plane: no deliveries.
    public func deliveries(workflow: String?, limit: Int) async throws -> [JSONValue] { [] }

    /// No event store behind this plane: streams start from the beginning.
    public func latestEventSeq() async throws -> Int64 { 0 }

    /// No webhook listener behind this plane: nothing to replay.
    public func replay(deliveryID: String) async throws -> String {
        throw EngineError(.notFound, "no delivery with id '\(deliveryID)'")
    }

    /// No store behind this plane: no tokens.
    public func createToken(name: String, role: ConsoleToken.Role, by creator: String) async throws -> String {
        throw EngineError(.unavailable, "this daemon has no store for tokens")
    }

    public func tokens() async throws -> [ConsoleToken] { [] }

    public func revokeToken(name: String) async throws {
        throw EngineError(.notFound, "no token named '\(name)'")
    }

    public func token(secret: String) async throws -> ConsoleToken? { nil }

    /// No store behind this plane: no versions beyond none.
    public func workflowVersions(name: String) async throws -> [WorkflowVersion]? { nil }

    public func workflowVersion(name: String, version: String) async throws -> WorkflowVersion? { nil }

    /// No engine behind this plane: nothing to run.
    public func dryRun(workflow: String, _ request: DryRunRequest) async throws -> DryRunReport {
        throw EngineError(.unavailable, "this daemon cannot run workflows")
    }

    public func itemProgress(runID: String) async throws -> [String: ItemProgress] { [:] }

    /// No database behind this plane: nothing to back up.
    public func backup(to path: String) async throws -> BackupReport {
        throw EngineError(.unavailable, "this daemon has no database to back up")
    }
}

/// What a reload found.
public struct ReloadReport: Sendable, Equatable {
    public var loaded: Int
    public var changed: [String]
    public var removed: [String]
    public var errors: [FileLoadError]
    /// Why the secrets were not re-read (the previous values stay in use); nil when they were, or need not be.
    public var secretsError: String?
    /// Warnings of the files this reload loaded (`file:line:col: warning: ...` lines per file); they never refuse one.
    public var warnings: [FileLoadError]

    public init(
        loaded: Int, changed: [String], removed: [String], errors: [FileLoadError], secretsError: String? = nil,
        warnings: [FileLoadError] = []
    ) {
        self.secretsError = secretsError
        self.warnings = warnings
        self.loaded = loaded
        self.changed = changed
        self.removed = removed
        self.errors = errors
    }
}
