public import Foundation

/// What to do with the slots of one schedule that passed while nothing could fire them (the daemon was
/// down, the host was suspended, or the wall clock jumped forward).
///
/// The latest passed slot counts as *current*, not missed, when it is at most `grace` seconds old: it fires
/// as a normal (late) fire. The older ones are missed and the trigger's `catch_up` policy picks which of them
/// fire: `none` fires none, `latest` the most recent, `all` the most recent `catch_up_limit` in time order.
/// Everything else only counts as a miss; a week of per-second slots is never replayed as a burst.
struct MissedSlots: Equatable, Sendable {
    /// Missed slots to fire now, oldest first.
    var catchUp: [Date] = []
    /// The slot that is recent enough to fire as if on time.
    var current: Date?
    /// Missed slots that will not fire (counted up to `countCap`).
    var missed: Int = 0

    /// Largest number of missed slots counted one by one; beyond it the count stops (a display figure).
    static let countCap = 1_000

    /// Slots in (`after`, `now`] of `schedule` in `zone`, sorted into catch-up, current and missed.
    static func resolve(
        _ schedule: CronSchedule, in zone: TimeZone, after: Date, through now: Date, policy: CatchUpPolicy,
        limit: Int, grace: Double
    ) -> MissedSlots {
        guard after < now else { return MissedSlots() }
        let wanted = policy == .all ? max(limit, 1) : 1
        var latest = Self.lastSlots(schedule, in: zone, after: after, through: now, count: wanted + 1)
        var out = MissedSlots()
        if let last = latest.last, now.timeIntervalSince(last) <= grace {
            out.current = last
            latest.removeLast()
        }
        switch policy {
        case .none: break
        case .latest: out.catchUp = latest.suffix(1)
        case .all: out.catchUp = Array(latest.suffix(wanted))
        }
        // Count what does not fire: every passed slot up to the cap, minus those that do.
        let cutoff = latest.last ?? after
        guard cutoff > after else { return out }
        let counted = schedule.fireTimes(after: after, through: cutoff, in: zone, limit: Self.countCap).count
        out.missed = max(0, counted - out.catchUp.count)
        return out
    }

    /// The last `count` slots in (`after`, `end`], oldest first, without walking from `after`.
    ///
    /// `CronSchedule` only searches forward, so this searches windows that end at `end` and double in length
    /// until one holds `count` slots or reaches `after`. The windows' lengths grow geometrically, so the work
    /// is about twice the slots of the last window, whatever the length of the downtime.
    static func lastSlots(_ schedule: CronSchedule, in zone: TimeZone, after: Date, through end: Date, count: Int) -> [Date] {
        guard count > 0, after < end else { return [] }
        var span = 1.0
        while true {
            let start = max(after, end.addingTimeInterval(-span))
            // A dense window can hold many more slots than wanted; keep only the tail while walking it.
            var tail: [Date] = []
            var cursor = start
            while let fire = schedule.next(after: cursor, in: zone, through: end) {
                tail.append(fire)
                if tail.count > count { tail.removeFirst(tail.count - count) }
                cursor = fire
            }
            if tail.count >= count || start == after { return tail }
            span *= 2
        }
    }
}
