public import Foundation

/// One cron trigger of one workflow as the scheduler tracks it.
struct ScheduleEntry: Sendable {
    /// `workflow` + NUL + `key`: unique per workflow and trigger.
    let id: String
    let workflow: String
    /// `CronTrigger.key`: survives edits that keep the same schedule and zone.
    let key: String
    var trigger: CronTrigger
    /// The workflow version new runs start from (replaced on reload).
    var definition: WorkflowDefinition
    /// Position of the trigger in the workflow's `triggers` (for listings).
    var index: Int
    let zone: TimeZone
    /// Bumped whenever `pending` changes, so heap items pushed for an older value are ignored.
    var generation: UInt64 = 0
    /// The next slot and when to fire it (the slot plus jitter); nil when the schedule has no more slots.
    var pending: (slot: Date, due: Date)?
    /// Fires waiting their turn for this entry (fires of one trigger are handled one at a time, in order).
    var fires: [ScheduledFire] = []
    /// True while a task is working through `fires`.
    var busy = false
    /// Slots held back by `overlap: queue`, oldest first (each has a `queued` ledger row).
    var queued: [Date] = []
    var lastScheduledAt: Date?
    var lastFiredAt: Date?
    var lastRunID: String?
    var misses = 0
    var skipped = 0

    static func id(workflow: String, key: String) -> String { workflow + "\u{0}" + key }

    init(workflow: String, trigger: CronTrigger, definition: WorkflowDefinition, index: Int) {
        self.id = Self.id(workflow: workflow, key: trigger.key)
        self.workflow = workflow
        self.key = trigger.key
        self.trigger = trigger
        self.definition = definition
        self.index = index
        // The loader accepts only zones Foundation knows, so the UTC fallback is never used for a loaded file.
        self.zone = TimeZone(identifier: trigger.timezone) ?? TimeZone(secondsFromGMT: 0) ?? .current
    }
}

/// One fire of a slot, waiting in its entry's queue.
struct ScheduledFire: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// At its time.
        case onTime
        /// The current slot after a restart or a clock jump, fired within the grace.
        case late
        /// A missed slot fired by the `catch_up` policy.
        case catchUp
        /// Not a slot: start the oldest slot held back by `overlap: queue` if the trigger has no active run.
        case queueCheck
        /// Not a slot: write the `missed` ledger rows in `missed` (before the catch-up fires of the same decision).
        case recordMissed
    }

    /// What made a `late` or `catchUp` fire necessary (for its ledger reason).
    enum Occasion: Sendable, Equatable {
        case schedule
        /// The daemon was down (found at start-up).
        case downtime
        /// The wall clock jumped forward while the scheduler slept.
        case clockJump
    }

    /// The nominal time.
    let slot: Date
    /// When it was meant to fire (slot plus jitter); lateness is measured from here.
    let due: Date
    let kind: Kind
    var occasion: Occasion = .schedule
    /// `recordMissed` only: the rows to write.
    var missed: [MissedSlots.Row] = []
}
