public import Foundation

/// One slot of a cron trigger's fire ledger: what became of it and why (`GET /v1/schedules/{workflow}/{trigger}/ledger`).
public struct ScheduleSlot: Sendable, Equatable {
    public var workflow: String
    /// The trigger key, `cron:SCHEDULE@ZONE`.
    public var trigger: String
    /// The nominal fire time.
    public var scheduledAt: Date
    /// When the scheduler dealt with the slot: started its run (for a queued slot: when it was released), skipped,
    /// queued or dropped it, or (for a missed slot) found it missed.
    public var handledAt: Date
    /// `started`, `skipped`, `queued`, `failed`, `dropped` or `missed`.
    public var outcome: String
    public var runID: String?
    /// In words: "on time", "caught up 2h10m late after downtime (catch_up: all)", "skipped: run R still active
    /// (overlap: skip)"…
    public var reason: String

    public init(
        workflow: String, trigger: String, scheduledAt: Date, handledAt: Date, outcome: String, runID: String?, reason: String?
    ) {
        self.workflow = workflow
        self.trigger = trigger
        self.scheduledAt = scheduledAt
        self.handledAt = handledAt
        self.outcome = outcome
        self.runID = runID
        self.reason = reason ?? Self.derivedReason(outcome: outcome, lateness: handledAt.timeIntervalSince(scheduledAt))
    }

    /// Seconds from the slot to when it was handled.
    public var lateness: Double { self.handledAt.timeIntervalSince(self.scheduledAt) }

    /// `{"workflow", "trigger", "scheduled_at", "fired_at", "handled_at", "lateness_seconds", "outcome", "run_id",
    /// "reason"}`; `fired_at` is null unless a run started.
    public var json: JSONValue {
        [
            "workflow": .string(self.workflow), "trigger": .string(self.trigger),
            "scheduled_at": .string(Timestamp.format(self.scheduledAt)),
            "fired_at": self.outcome == "started" ? .string(Timestamp.format(self.handledAt)) : .null,
            "handled_at": .string(Timestamp.format(self.handledAt)),
            "lateness_seconds": .number((self.lateness * 1000).rounded() / 1000),
            "outcome": .string(self.outcome), "run_id": .orNull(self.runID), "reason": .string(self.reason),
        ]
    }

    /// The reason of a row written before reasons were kept (v6), from its outcome and lateness alone.
    public static func derivedReason(outcome: String, lateness: Double) -> String {
        switch outcome {
        case "started": lateness <= 2 ? "on time" : "fired \(SlotReason.duration(lateness)) late (recorded before reasons were kept)"
        case "skipped": "skipped: a previous run was still active (overlap)"
        case "queued": SlotReason.queuedUnknown
        case "failed": "failed: the run could not be created (the error was not recorded)"
        case "dropped": SlotReason.dropped
        case "missed": "missed while the daemon was down"
        default: outcome
        }
    }
}
