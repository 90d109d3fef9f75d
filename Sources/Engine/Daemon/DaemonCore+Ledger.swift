public import Foundation

extension DaemonCore {
    /// The fire ledger of one cron trigger, newest slot first (`GET /v1/schedules/{workflow}/{trigger}/ledger`).
    ///
    /// `trigger` is the key `GET /v1/schedules` lists (`cron:SCHEDULE@ZONE`). A trigger that is loaded but never
    /// fired has an empty ledger; one that is neither loaded nor in the ledger is `notFound`, with the keys the
    /// workflow has.
    public func scheduleLedger(workflow: String, trigger: String, before: Date?, limit: Int) async throws -> [ScheduleSlot] {
        let limit = min(max(limit, 1), 1000)
        let (slots, recorded) = try await self.engine.store.read { db in
            let slots = try ScheduleLedger.page(db, workflow: workflow, key: trigger, before: before, limit: limit)
            return (slots, slots.isEmpty ? try ScheduleLedger.keys(db, workflow: workflow) : [])
        }
        guard slots.isEmpty else { return slots }
        let loaded = self.catalog.byName[workflow]?.cronTriggers.map(\.key) ?? []
        if loaded.contains(trigger) || recorded.contains(trigger) { return [] }
        let known = Array(Set(loaded + recorded)).sorted()
        if known.isEmpty {
            let what = self.catalog.byName[workflow] == nil ? "no workflow named '\(workflow)'" : "workflow '\(workflow)' has no cron trigger"
            throw EngineError(.notFound, "\(what) (and no schedule ledger rows)")
        }
        let list = known.map { "'\($0)'" }.joined(separator: ", ")
        throw EngineError(.notFound, "workflow '\(workflow)' has no cron trigger '\(trigger)' (its triggers: \(list))")
    }
}
