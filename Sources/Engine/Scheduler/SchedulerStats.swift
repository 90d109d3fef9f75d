/// Counters of the cron scheduler since the daemon started (for status and metrics).
public struct SchedulerStats: Sendable, Equatable {
    /// Runs started by cron fires (on time, late, caught up, or released from a queue).
    public internal(set) var fires = 0
    /// Of those, fires of missed slots chosen by `catch_up`.
    public internal(set) var catchUpFires = 0
    /// Slots not run because a previous run was active (`overlap: skip`, or a full queue).
    public internal(set) var skipped = 0
    /// Slots missed (downtime, clock jumps) that `catch_up` did not fire.
    public internal(set) var misses = 0
    /// Wall-clock jumps noticed (forward and backward).
    public internal(set) var clockJumps = 0
    /// Fires refused because the ledger already had the slot.
    public internal(set) var duplicatesRefused = 0
    /// Lateness of on-time fires.
    public internal(set) var lateness = FireLateness()

    public init() {}

    /// `{"fires", "catch_up_fires", "skipped", "misses", "clock_jumps", "duplicates_refused", "lateness"}`.
    public var json: JSONValue {
        [
            "fires": .number(Double(self.fires)), "catch_up_fires": .number(Double(self.catchUpFires)),
            "skipped": .number(Double(self.skipped)), "misses": .number(Double(self.misses)),
            "clock_jumps": .number(Double(self.clockJumps)), "duplicates_refused": .number(Double(self.duplicatesRefused)),
            "lateness": self.lateness.json,
        ]
    }
}
