/// What a dry run (`POST /v1/workflows/{name}/test`, the console's dry-run form) did: the run as it ended in its
/// in-memory store, and how it got there.
public struct DryRunReport: Sendable {
    /// The run with every step, outputs redacted as in stored runs. It exists nowhere else.
    public var run: RunRecord
    /// Steps that answered from a mock instead of running, by id.
    public var mocked: [String]
    /// Times the manual clock was moved to the next timer (delays, back-offs, deadlines).
    public var clockAdvances: Int
    /// Set when the run stopped without ending: the wait nothing offline can end.
    public var stuck: String?

    public init(run: RunRecord, mocked: [String], clockAdvances: Int, stuck: String?) {
        self.run = run
        self.mocked = mocked
        self.clockAdvances = clockAdvances
        self.stuck = stuck
    }

    /// `{"run": {... "steps": [...]}, "mocked", "clock_advances", "stuck"}`.
    public var json: JSONValue {
        [
            "run": self.run.json(includeSteps: true), "mocked": .array(self.mocked.map { .string($0) }),
            "clock_advances": .number(Double(self.clockAdvances)), "stuck": self.stuck.map { .string($0) } ?? .null,
        ]
    }
}
