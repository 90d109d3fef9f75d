/// How far a `for_each` step has come: its items, how many finished, how many of those failed.
///
/// Read from `item_run`, where the step records every item as `pending` when it starts and each item's result as
/// it finishes, so the numbers are right while the step runs and after a restart.
public struct ItemProgress: Sendable, Equatable {
    public var total: Int
    /// Items that finished, successfully or not.
    public var done: Int
    public var failed: Int

    public init(total: Int, done: Int, failed: Int) {
        self.total = total
        self.done = done
        self.failed = failed
    }

    /// `3/10`, or `3/10, 1 failed`.
    public var text: String {
        "\(self.done)/\(self.total)" + (self.failed > 0 ? ", \(self.failed) failed" : "")
    }

    /// `3/10`, or `3/10 ✗1`: what fits on a graph node.
    public var compactText: String {
        "\(self.done)/\(self.total)" + (self.failed > 0 ? " ✗\(self.failed)" : "")
    }

    /// `{"total", "done", "failed"}`.
    public var json: JSONValue {
        ["total": .number(Double(self.total)), "done": .number(Double(self.done)), "failed": .number(Double(self.failed))]
    }
}
