import Foundation

/// The reason each `schedule_ledger` row gives, in words for the operator who asks why a cron did or did not fire
/// (`GET /v1/schedules/{workflow}/{trigger}/ledger`, `triggerctl schedules ledger`, the console's ledger page).
///
/// Written with the row, when the scheduler still knows the circumstances (which run was active, which policy
/// decided, how late). Rows from before v6 have none; `ScheduleSlot.derivedReason` words their outcome instead.
enum SlotReason {
    /// Why a run started for its slot. `lateness` is from the slot, `delay` from the due time (slot plus jitter).
    static func started(
        _ fire: ScheduledFire, trigger: CronTrigger, lateness: Double, delay: Double, grace: Double, cancelled: [String]
    ) -> String {
        var text: String
        switch (fire.kind, fire.occasion) {
        case (.catchUp, .clockJump):
            text = "caught up \(self.duration(lateness)) late after a wall-clock jump (catch_up: \(trigger.catchUp.rawValue))"
        case (.catchUp, _):
            text = "caught up \(self.duration(lateness)) late after downtime (catch_up: \(trigger.catchUp.rawValue))"
        case (.late, .clockJump):
            text = "fired \(self.duration(lateness)) late after a wall-clock jump (within the \(self.duration(grace)) grace)"
        case (.late, _):
            text = "fired \(self.duration(lateness)) late: the daemon started within the \(self.duration(grace)) grace after it"
        default:
            if delay > max(1, grace / 2) {
                text = "fired \(self.duration(delay)) after its due time (the scheduler was busy)"
            } else {
                text = "on time"
            }
            if trigger.jitter > 0, lateness - delay >= 0.001 {
                text += " (jitter: \(self.duration(lateness - delay)) after the slot)"
            }
        }
        if !cancelled.isEmpty {
            let runs = cancelled.count == 1 ? "run \(cancelled[0])" : "runs \(cancelled.joined(separator: ", "))"
            text += "; cancelled \(runs) (overlap: cancel_previous)"
        }
        return text
    }

    /// `overlap: skip` with a run of the trigger still active.
    static func skipped(active: [String]) -> String {
        "skipped: \(self.runs(active)) still active (overlap: skip)"
    }

    /// `overlap: queue` with the queue full.
    static func queueFull(limit: Int, active: [String]) -> String {
        "skipped: \(limit) slots already queued behind \(self.runs(active)) (overlap: queue)"
    }

    /// `overlap: queue`: held back behind the active run, or behind slots queued before it.
    static func queued(active: [String], ahead: Int) -> String {
        if active.isEmpty {
            return "queued behind \(ahead) earlier queued slot\(ahead == 1 ? "" : "s") (overlap: queue)"
        }
        return "queued behind \(self.runs(active)) (overlap: queue)"
    }

    /// Appended to the reason a slot was queued for when its run starts.
    static func released(lateness: Double) -> String {
        "; started \(self.duration(lateness)) late, when the run ahead of it ended"
    }

    /// A queued row written before v6 (no reason to extend).
    static let queuedUnknown = "queued behind an active run (overlap: queue)"

    /// The run could not be created.
    static func failed(_ error: any Error) -> String { "failed: \(error)" }

    /// A queued slot whose trigger went away.
    static let dropped = "dropped: trigger removed while the slot was queued"

    /// A missed slot that does not fire: where it went, and what `catch_up` fired instead.
    static func missed(
        occasion: ScheduledFire.Occasion, trigger: CronTrigger, caughtUp: [Date], notListed: Int
    ) -> String {
        var text = occasion == .clockJump ? "missed during a wall-clock jump" : "missed during downtime"
        switch trigger.catchUp {
        case .none:
            text += "; catch_up: none fires no missed slot"
        case .latest:
            text += "; catch_up: latest fired only the newest slot"
            if let newest = caughtUp.last { text += " (\(Timestamp.format(newest)))" }
        case .all:
            text += "; catch_up: all fired only the newest \(caughtUp.count) (catch_up_limit: \(trigger.catchUpLimit))"
        }
        if notListed > 0 { text += "; \(notListed) older missed slot\(notListed == 1 ? " is" : "s are") not listed" }
        return text
    }

    /// `run R` or `runs R, S`; `a run` when none is known (it ended while the decision was being made).
    private static func runs(_ ids: [String]) -> String {
        switch ids.count {
        case 0: "a previous run"
        case 1: "run \(ids[0])"
        default: "runs \(ids.joined(separator: ", "))"
        }
    }

    /// `350ms`, `12s`, `2h10m`: the duration syntax of workflow files.
    static func duration(_ seconds: Double) -> String {
        let value = max(0, seconds)
        if value < 1 { return "\(Int((value * 1000).rounded()))ms" }
        if value < 10, value != value.rounded() { return String(format: "%.1fs", value) }
        return DurationText.format(value)
    }
}
