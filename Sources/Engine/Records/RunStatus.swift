/// Where a run is in its life. Terminal: `completed`, `failed`, `cancelled`.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case pending, running, waiting, completed, failed, cancelled

    /// True once the run can no longer change.
    public var isTerminal: Bool { self == .completed || self == .failed || self == .cancelled }
}

/// Where a step of a run is. `skipped`, `completed` and `failed` are settled.
public enum StepStatus: String, Sendable, Codable, CaseIterable {
    case pending, running, completed, failed, skipped, waiting, retrying

    /// True once the step's outcome is stored and no longer changes within this run.
    public var isSettled: Bool { self == .completed || self == .failed || self == .skipped }
}
