import Foundation

extension MissedSlots {
    /// A missed slot's ledger row: the slot and why it did not fire.
    struct Row: Sendable, Equatable {
        let slot: Date
        let reason: String
    }

    /// Most missed slots written to the ledger per downtime and trigger: the newest ones. A week of a per-second
    /// schedule is one line saying how many more there were, not 600,000 rows.
    static let listedCap = 100

    /// The slots of this decision that do not fire, newest `listedCap`, oldest first (`after` and `now` as given
    /// to `resolve`).
    func unfired(_ schedule: CronSchedule, in zone: TimeZone, after: Date, through now: Date) -> [Date] {
        guard self.missed > 0 else { return [] }
        let wanted = min(self.missed, Self.listedCap)
        let firing = Set(self.catchUp + (self.current.map { [$0] } ?? []))
        let tail = Self.lastSlots(schedule, in: zone, after: after, through: now, count: wanted + firing.count)
        return Array(tail.filter { !firing.contains($0) }.suffix(wanted))
    }
}
