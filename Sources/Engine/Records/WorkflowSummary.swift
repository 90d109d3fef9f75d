public import Foundation

/// A loaded workflow as the control API lists it (`GET /v1/workflows`).
public struct WorkflowSummary: Sendable, Equatable {
    public var name: String
    public var description: String?
    /// Path of the file relative to the workflows directory.
    public var file: String
    /// Content hash of the active version; nil when the file never loaded.
    public var version: String?
    /// Each trigger as JSON: `{"type": "cron", "schedule": "...", "timezone": "...", "next": "..."}` etc.
    public var triggers: [JSONValue]
    public var steps: [String]
    /// The newest load error of this file, if its latest content was refused (the last good version stays active).
    public var loadError: String?
    /// The declared `inputs` (the console builds its run form from them).
    public var inputs: [InputDefinition]
    /// Each step's `type` and `needs` (the console draws the graph from them).
    public var stepTypes: [String: String]
    public var stepNeeds: [String: [String]]

    public init(
        name: String, description: String?, file: String, version: String?, triggers: [JSONValue], steps: [String],
        loadError: String?, inputs: [InputDefinition] = [], stepTypes: [String: String] = [:],
        stepNeeds: [String: [String]] = [:]
    ) {
        self.name = name
        self.description = description
        self.file = file
        self.version = version
        self.triggers = triggers
        self.steps = steps
        self.loadError = loadError
        self.inputs = inputs
        self.stepTypes = stepTypes
        self.stepNeeds = stepNeeds
    }
}

/// What `GET /v1/status` reports.
public struct StatusSnapshot: Sendable, Equatable {
    public var version: String
    public var startedAt: Date
    public var uptimeSeconds: Double
    public var workflowsLoaded: Int
    /// Files whose newest content failed to load, with the diagnostic.
    public var loadErrors: [FileLoadError]
    /// Runs by status.
    public var runCounts: [RunStatus: Int]
    public var pendingApprovals: Int
    /// The soonest cron fires: `{"workflow", "trigger", "next"}`.
    public var nextFires: [JSONValue]
    public var listen: String
    public var socket: String
    /// Why the last re-read of the secrets was refused (the previous values stay in use); nil when it was not.
    public var secretsError: String?

    public init(
        version: String, startedAt: Date, uptimeSeconds: Double, workflowsLoaded: Int, loadErrors: [FileLoadError],
        runCounts: [RunStatus: Int], pendingApprovals: Int, nextFires: [JSONValue], listen: String, socket: String,
        secretsError: String? = nil
    ) {
        self.secretsError = secretsError
        self.version = version
        self.startedAt = startedAt
        self.uptimeSeconds = uptimeSeconds
        self.workflowsLoaded = workflowsLoaded
        self.loadErrors = loadErrors
        self.runCounts = runCounts
        self.pendingApprovals = pendingApprovals
        self.nextFires = nextFires
        self.listen = listen
        self.socket = socket
    }
}

/// A workflow file that failed to load, and why.
public struct FileLoadError: Sendable, Equatable {
    public var file: String
    /// The compiler-style diagnostic(s), one per line.
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }
}

/// Filters for `GET /v1/runs`.
public struct RunQuery: Sendable, Equatable {
    public var workflow: String?
    public var status: RunStatus?
    public var limit: Int
    /// Only runs created strictly before this run id's creation (paging), or before this time.
    public var before: String?
    /// Only runs of this trigger kind (a `TriggerKind` name: `manual`, `cron`, `webhook`, `event`, `retry`, `replay`).
    /// Kept as text so that an unknown kind reaches the engine and is refused there with the list of kinds.
    public var triggerType: String?

    public init(
        workflow: String? = nil, status: RunStatus? = nil, limit: Int = 50, before: String? = nil,
        triggerType: String? = nil
    ) {
        self.workflow = workflow
        self.status = status
        self.limit = limit
        self.before = before
        self.triggerType = triggerType
    }
}

/// A wait for a person's decision, as `GET /v1/approvals` lists it.
public struct PendingApproval: Sendable, Equatable {
    public var runID: String
    public var workflow: String
    public var stepID: String
    public var message: String?
    public var since: Date
    public var deadline: Date?
    /// Users and groups allowed to decide; empty means anyone allowed on the socket.
    public var approvers: [String]
    public var required: Int
    /// Who approved so far.
    public var approvedBy: [String]

    public init(
        runID: String, workflow: String, stepID: String, message: String?, since: Date, deadline: Date?,
        approvers: [String], required: Int, approvedBy: [String]
    ) {
        self.runID = runID
        self.workflow = workflow
        self.stepID = stepID
        self.message = message
        self.since = since
        self.deadline = deadline
        self.approvers = approvers
        self.required = required
        self.approvedBy = approvedBy
    }
}

/// The identity of a control-socket peer, from SO_PEERCRED, resolved to names.
public struct PeerIdentity: Sendable, Equatable {
    public var uid: Int
    public var user: String
    public var groups: [String]

    public init(uid: Int, user: String, groups: [String]) {
        self.uid = uid
        self.user = user
        self.groups = groups
    }
}

/// What emitting an event did (`POST /v1/events`).
public struct EmitResult: Sendable, Equatable {
    public var eventID: String
    public var resumed: [String]
    public var started: [String]

    public init(eventID: String, resumed: [String], started: [String]) {
        self.eventID = eventID
        self.resumed = resumed
        self.started = started
    }
}
