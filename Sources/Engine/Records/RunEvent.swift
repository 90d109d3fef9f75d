public import Foundation

/// One entry of the run event stream (SPEC §7), as stored in `run_event` and sent over SSE.
public struct RunEvent: Sendable, Equatable {
    /// The stream names of SPEC §7.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case runStarted = "run.started", runCompleted = "run.completed", runFailed = "run.failed"
        case runWaiting = "run.waiting", runResumed = "run.resumed", runCancelled = "run.cancelled"
        case stepStarted = "step.started", stepCompleted = "step.completed", stepFailed = "step.failed"
        case stepSkipped = "step.skipped", stepWaiting = "step.waiting", stepRetrying = "step.retrying"
    }

    /// Monotonic sequence number; SSE clients resume with it.
    public var seq: Int64
    public var at: Date
    public var type: Kind
    public var runID: String
    public var workflow: String
    public var step: String?
    public var attempt: Int?
    public var status: String?
    public var error: String?
    public var output: JSONValue?

    public init(
        seq: Int64 = 0, at: Date, type: Kind, runID: String, workflow: String, step: String? = nil,
        attempt: Int? = nil, status: String? = nil, error: String? = nil, output: JSONValue? = nil
    ) {
        self.seq = seq
        self.at = at
        self.type = type
        self.runID = runID
        self.workflow = workflow
        self.step = step
        self.attempt = attempt
        self.status = status
        self.error = error
        self.output = output
    }

    /// The JSON object of SPEC §7: `{"seq", "at", "type", "run_id", "workflow", "step"?, ...}`.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "seq": .number(Double(self.seq)), "at": .string(Timestamp.format(self.at)),
            "type": .string(self.type.rawValue), "run_id": .string(self.runID), "workflow": .string(self.workflow),
        ]
        if let step { o["step"] = .string(step) }
        if let attempt { o["attempt"] = .number(Double(attempt)) }
        if let status { o["status"] = .string(status) }
        if let error { o["error"] = .string(error) }
        if let output { o["output"] = output }
        return .object(o)
    }
}
