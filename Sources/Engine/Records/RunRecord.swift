public import Foundation

/// A run as stored: what `GET /v1/runs/{id}` and `triggerctl show --json` report.
public struct RunRecord: Sendable, Equatable {
    public var id: String
    public var workflow: String
    /// Content hash of the workflow file version the run is pinned to.
    public var version: String
    public var status: RunStatus
    /// `{"type": "manual"|"cron"|"webhook"|"event"|"retry", ...}` (see SPEC §4 for per-type fields).
    public var trigger: JSONValue
    public var input: JSONValue
    public var createdAt: Date
    public var startedAt: Date?
    public var endedAt: Date?
    public var error: String?
    /// The run's result: outputs of its final steps (for `response: sync` webhooks and `run --wait`).
    public var output: JSONValue?
    /// Empty in lists; every step in `run(id:)`.
    public var steps: [StepRecord]
    /// Approval decisions recorded on this run (audit trail), oldest first.
    public var decisions: [ApprovalDecision]

    public init(
        id: String, workflow: String, version: String, status: RunStatus, trigger: JSONValue, input: JSONValue,
        createdAt: Date, startedAt: Date? = nil, endedAt: Date? = nil, error: String? = nil, output: JSONValue? = nil,
        steps: [StepRecord] = [], decisions: [ApprovalDecision] = []
    ) {
        self.id = id
        self.workflow = workflow
        self.version = version
        self.status = status
        self.trigger = trigger
        self.input = input
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.error = error
        self.output = output
        self.steps = steps
        self.decisions = decisions
    }
}

/// One step of a run as stored.
public struct StepRecord: Sendable, Equatable {
    public var id: String
    public var type: String
    public var status: StepStatus
    public var attempts: Int
    public var startedAt: Date?
    public var endedAt: Date?
    public var output: JSONValue?
    public var error: String?
    /// The step ids this step needs (for drawing the graph).
    public var needs: [String]

    public init(
        id: String, type: String, status: StepStatus, attempts: Int = 0, startedAt: Date? = nil, endedAt: Date? = nil,
        output: JSONValue? = nil, error: String? = nil, needs: [String] = []
    ) {
        self.id = id
        self.type = type
        self.status = status
        self.attempts = attempts
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.output = output
        self.error = error
        self.needs = needs
    }
}

/// An approve or reject decision, with the identity the control socket vouched for.
public struct ApprovalDecision: Sendable, Equatable {
    public var runID: String
    public var stepID: String
    public var user: String
    public var uid: Int
    public var approved: Bool
    public var comment: String?
    public var at: Date

    public init(runID: String, stepID: String, user: String, uid: Int, approved: Bool, comment: String?, at: Date) {
        self.runID = runID
        self.stepID = stepID
        self.user = user
        self.uid = uid
        self.approved = approved
        self.comment = comment
        self.at = at
    }
}
