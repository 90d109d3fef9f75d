import Engine
import Foundation

/// A `ControlPlane` with canned answers that records what the control API asked of it.
actor FakeControlPlane: ControlPlane {
    struct StartedRun: Equatable {
        var workflow: String
        var input: JSONValue
    }

    struct Decision: Equatable {
        var runID: String
        var stepID: String?
        var approve: Bool
        var comment: String?
        var peer: PeerIdentity
    }

    struct Emitted: Equatable {
        var name: String
        var key: String?
        var data: JSONValue
    }

    struct StreamRequest: Equatable {
        var after: Int64
        var runID: String?
    }

    /// A failure that is not an `EngineError`, to check the catch-all of the error middleware.
    struct Broken: Error, CustomStringConvertible {
        var description: String { "disk on fire" }
    }

    private(set) var startedRuns: [StartedRun] = []
    private(set) var queries: [RunQuery] = []
    private(set) var cancelled: [String] = []
    private(set) var decisions: [Decision] = []
    private(set) var emitted: [Emitted] = []
    private(set) var streamRequests: [StreamRequest] = []
    private(set) var reloads = 0
    private(set) var ledgerQueries: [LedgerQuery] = []

    struct LedgerQuery: Equatable {
        var workflow: String
        var trigger: String
        var before: Date?
        var limit: Int
    }

    func status() async throws -> StatusSnapshot { ControlFixtures.status }

    func workflows() async -> [WorkflowSummary] { [ControlFixtures.deploy, ControlFixtures.broken] }

    func workflow(named name: String) async -> WorkflowSummary? {
        [ControlFixtures.deploy, ControlFixtures.broken].first { $0.name == name }
    }

    func startRun(workflow: String, input: JSONValue) async throws -> String {
        guard workflow == "deploy" else { throw EngineError(.notFound, "no workflow named '\(workflow)'") }
        guard input["env"] != nil || input == [:] else { throw EngineError(.invalidInput, "input 'env' is missing") }
        self.startedRuns.append(StartedRun(workflow: workflow, input: input))
        return "r-new"
    }

    func runs(_ query: RunQuery) async throws -> [RunRecord] {
        self.queries.append(query)
        var listed = ControlFixtures.run
        listed.steps = []
        listed.decisions = []
        return [listed]
    }

    func run(id: String) async throws -> RunRecord? {
        id == ControlFixtures.run.id ? ControlFixtures.run : nil
    }

    /// Run r1 has a `for_each` step `fan` under way (the console's progress endpoint reads this).
    func itemProgress(runID: String) async throws -> [String: ItemProgress] {
        runID == ControlFixtures.run.id ? ["fan": ItemProgress(total: 10, done: 4, failed: 1)] : [:]
    }

    func cancel(runID: String) async throws {
        guard runID == ControlFixtures.run.id else { throw EngineError(.conflict, "run '\(runID)' already ended") }
        self.cancelled.append(runID)
    }

    func retry(runID: String) async throws -> String {
        guard runID == ControlFixtures.run.id else { throw EngineError(.notFound, "no run with id '\(runID)'") }
        return "r-retry"
    }

    func reload() async -> ReloadReport {
        self.reloads += 1
        return ReloadReport(
            loaded: 2,
            changed: ["deploy"],
            removed: ["old"],
            errors: [FileLoadError(file: "broken.yaml", message: "broken.yaml:3:7: error: unknown key 'stpes'")],
            warnings: [FileLoadError(file: "steps.yaml", message: "steps.yaml:2:14: warning: step 61 selects only 0")]
        )
    }

    func runEvents(runID: String, after: Int64, limit: Int) async throws -> [RunEvent]? {
        guard ControlFixtures.events.contains(where: { $0.runID == runID }) else { return nil }
        return Array(ControlFixtures.events.filter { $0.runID == runID && $0.seq > after }.prefix(limit))
    }

    func eventStream(after: Int64, runID: String?) async -> AsyncStream<RunEvent> {
        self.streamRequests.append(StreamRequest(after: after, runID: runID))
        let events = ControlFixtures.events.filter { $0.seq > after && (runID == nil || $0.runID == runID) }
        return AsyncStream { continuation in
            for event in events { continuation.yield(event) }
            continuation.finish()
        }
    }

    func approvals() async throws -> [PendingApproval] { [ControlFixtures.approval] }

    /// `nightly`'s trigger `cron:0 2 * * *@UTC` has the slots of `ControlFixtures.ledger`; anything else is unknown.
    func scheduleLedger(workflow: String, trigger: String, before: Date?, limit: Int) async throws -> [ScheduleSlot] {
        self.ledgerQueries.append(LedgerQuery(workflow: workflow, trigger: trigger, before: before, limit: limit))
        guard workflow == "nightly", trigger == ControlFixtures.nightlyKey else {
            throw EngineError(.notFound, "workflow '\(workflow)' has no cron trigger '\(trigger)'")
        }
        return Array(ControlFixtures.ledger.filter { before == nil || $0.scheduledAt < before! }.prefix(limit))
    }

    func schedules() async throws -> [JSONValue] {
        [
            [
                "workflow": "nightly", "trigger": .string(ControlFixtures.nightlyKey), "schedule": "0 2 * * *",
                "timezone": "UTC", "next": "2027-01-16T02:00:00+00:00", "last_scheduled_at": "2027-01-15T02:00:00.000Z",
                "last_fired_at": "2027-01-15T02:00:00.004Z", "last_run_id": "r1", "lateness_seconds": 0.004,
                "misses": 2, "skipped": 1, "queued": 0, "overlap": "skip", "catch_up": "none",
            ]
        ]
    }

    /// Console tokens the fake knows: `tdc_<role>` is a token named `<role>-bot` with that role.
    func token(secret: String) async throws -> ConsoleToken? {
        guard secret.hasPrefix("tdc_"), let role = ConsoleToken.Role(rawValue: String(secret.dropFirst(4))) else {
            return nil
        }
        return ConsoleToken(name: "\(role.rawValue)-bot", role: role, createdAt: ControlFixtures.t0, createdBy: "root")
    }

    func decide(runID: String, stepID: String?, approve: Bool, comment: String?, by peer: PeerIdentity) async throws
        -> ApprovalDecision
    {
        self.decisions.append(Decision(runID: runID, stepID: stepID, approve: approve, comment: comment, peer: peer))
        return ApprovalDecision(
            runID: runID,
            stepID: stepID ?? "gate",
            user: peer.user,
            uid: peer.uid,
            approved: approve,
            comment: comment,
            at: ControlFixtures.t0
        )
    }

    func replay(deliveryID: String) async throws -> String {
        guard deliveryID == "d1" else { throw EngineError(.notFound, "no delivery with id '\(deliveryID)'") }
        return "r-replay"
    }

    func emit(name: String, key: String?, data: JSONValue) async throws -> EmitResult {
        switch name {
        case "busy": throw EngineError(.tooBusy, "the ingest queue is full")
        case "closing": throw EngineError(.unavailable, "triggerd is shutting down")
        case "oops": throw EngineError(.internal, "the store failed")
        case "denied": throw EngineError(.forbidden, "not an approver")
        case "broken": throw Broken()
        default: break
        }
        self.emitted.append(Emitted(name: name, key: key, data: data))
        return EmitResult(eventID: "e-1", resumed: ["r1"], started: ["r-new"])
    }
}
