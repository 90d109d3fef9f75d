import Foundation
import Logging

extension CronScheduler {
    /// What one cron trigger of the desired workflows looks like.
    private struct Spec {
        let workflow: String
        let trigger: CronTrigger
        let definition: WorkflowDefinition
        let index: Int
    }

    /// Brings the entries in line with `workflows`. At start-up every trigger is new and its slots missed while
    /// the daemon was down follow its `catch_up` policy; on a reload new triggers start from now.
    func apply(_ workflows: [String: WorkflowDefinition], startup: Bool) async {
        var specs: [String: Spec] = [:]
        for name in workflows.keys.sorted() {
            guard let definition = workflows[name] else { continue }
            for (index, trigger) in definition.triggers.enumerated() {
                guard case .cron(let cron) = trigger else { continue }
                let id = ScheduleEntry.id(workflow: name, key: cron.key)
                // Two triggers with the same schedule and zone share one ledger key: they are one schedule.
                if specs[id] == nil { specs[id] = Spec(workflow: name, trigger: cron, definition: definition, index: index) }
            }
        }
        let fresh = specs.keys.filter { self.entries[$0] == nil }.sorted()
        let lookups = fresh.compactMap { specs[$0].map { (workflow: $0.workflow, key: $0.trigger.key) } }
        // Held-back slots survive a restart; only `overlap: queue` triggers can have them.
        let queueLookups = startup ? fresh.compactMap { id in specs[id].flatMap { $0.trigger.overlap == .queue ? (workflow: $0.workflow, key: $0.trigger.key) : nil } } : []
        let ledger: (last: [String: ScheduleLedger.Last], queued: [String: [Date]])
        do {
            ledger = try await self.store.read { db in
                (try ScheduleLedger.last(db, triggers: lookups), try ScheduleLedger.queued(db, triggers: queueLookups))
            }
        } catch {
            // Without the ledger nothing can be caught up; the triggers still fire from now on, and the ledger's
            // key still refuses any slot that fired before.
            self.logger.error("could not read the schedule ledger", metadata: [LogKey.error: "\(error)"])
            ledger = ([:], [:])
        }
        let now = self.clock.now()

        let removed = self.entries.keys.filter { specs[$0] == nil }
        for id in removed {
            guard let entry = self.entries.removeValue(forKey: id) else { continue }
            self.queueing.remove(id)
            if !entry.queued.isEmpty { self.dropQueued(entry) }
        }
        for (id, spec) in specs where self.entries[id] != nil {
            // Same schedule and zone: keep the next slot; take the new version and the other settings.
            self.entries[id]?.trigger = spec.trigger
            self.entries[id]?.definition = spec.definition
            self.entries[id]?.index = spec.index
        }
        for id in fresh {
            guard let spec = specs[id] else { continue }
            var entry = ScheduleEntry(workflow: spec.workflow, trigger: spec.trigger, definition: spec.definition, index: spec.index)
            let last = ledger.last[id]
            entry.lastScheduledAt = last?.shown?.scheduledAt
            entry.lastFiredAt = last?.shown?.firedAt
            if let queued = ledger.queued[id] { entry.queued = queued }
            self.entries[id] = entry
            // A trigger that never fired has missed nothing: it starts from now.
            if startup, let last { self.catchUp(id, last: last.scheduledAt, now: now) }
            // A clock behind the ledger (it jumped backward) must not bring back slots that already fired.
            let base = max(now, last?.scheduledAt ?? now)
            self.schedule(id, after: base)
            if !entry.queued.isEmpty {
                self.queueing.insert(id)
                self.enqueue(ScheduledFire(slot: now, due: now, kind: .queueCheck), for: id)
            }
        }
        self.rebuildHeap()
        self.wakeSignal.signal()
        if startup || !fresh.isEmpty || !removed.isEmpty {
            self.logger.debug("cron schedules applied", metadata: [LogKey.schedules: "\(self.entries.count)"])
        }
    }

    /// Start-up: fires what the `catch_up` policy asks for among the slots after the ledger's last one, and the
    /// current slot if the daemon (re)started within the grace (plus jitter) after it.
    private func catchUp(_ id: String, last: Date, now: Date) {
        guard let entry = self.entries[id] else { return }
        let trigger = entry.trigger
        let resolved = MissedSlots.resolve(
            trigger.schedule, in: entry.zone, after: last, through: now, policy: trigger.catchUp,
            limit: trigger.catchUpLimit, grace: self.options.grace + trigger.jitter)
        self.applyMissed(resolved, to: id, after: last, now: now, occasion: .downtime)
    }

    /// Queues the fires of a `MissedSlots` decision (`missed` ledger rows first, then the catch-up fires, then the
    /// current slot) and counts the misses. `after` and `now` are those given to `MissedSlots.resolve`.
    func applyMissed(_ resolved: MissedSlots, to id: String, after: Date, now: Date, occasion: ScheduledFire.Occasion) {
        self.entries[id]?.misses += resolved.missed
        self.stats.misses += resolved.missed
        if resolved.missed > 0, let entry = self.entries[id] {
            let slots = resolved.unfired(entry.trigger.schedule, in: entry.zone, after: after, through: now)
            let common = SlotReason.missed(occasion: occasion, trigger: entry.trigger, caughtUp: resolved.catchUp, notListed: 0)
            var rows = slots.map { MissedSlots.Row(slot: $0, reason: common) }
            if let oldest = slots.first, resolved.missed > slots.count {
                rows[0] = MissedSlots.Row(
                    slot: oldest,
                    reason: SlotReason.missed(
                        occasion: occasion, trigger: entry.trigger, caughtUp: resolved.catchUp, notListed: resolved.missed - slots.count))
            }
            if !rows.isEmpty {
                self.enqueue(ScheduledFire(slot: now, due: now, kind: .recordMissed, occasion: occasion, missed: rows), for: id)
            }
        }
        for slot in resolved.catchUp {
            self.enqueue(ScheduledFire(slot: slot, due: slot, kind: .catchUp, occasion: occasion), for: id)
        }
        if let current = resolved.current {
            self.enqueue(ScheduledFire(slot: current, due: current, kind: .late, occasion: occasion), for: id)
        }
        if resolved.missed > 0 || !resolved.catchUp.isEmpty, let entry = self.entries[id] {
            self.logger.notice(
                "cron slots were missed",
                metadata: [
                    LogKey.workflow: "\(entry.workflow)", LogKey.trigger: "\(entry.key)",
                    LogKey.missed: "\(resolved.missed)", LogKey.caughtUp: "\(resolved.catchUp.count)",
                ])
        }
    }

    /// Marks the queued slots of a removed trigger as dropped.
    private func dropQueued(_ entry: ScheduleEntry) {
        let (workflow, key) = (entry.workflow, entry.key)
        let store = self.store
        self.jobSink.yield {
            _ = try? await store.write { db in try ScheduleLedger.dropQueued(db, workflow: workflow, key: key) }
        }
    }
}
