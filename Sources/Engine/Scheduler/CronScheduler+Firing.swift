import Foundation
import Logging

extension CronScheduler {
    /// Adds a fire to its entry's queue; fires of one trigger are handled one at a time, in order, so overlap
    /// decisions always see the previous fire's run.
    func enqueue(_ fire: ScheduledFire, for id: String) {
        guard self.entries[id] != nil else { return }
        self.entries[id]?.fires.append(fire)
        guard self.entries[id]?.busy == false else { return }
        self.entries[id]?.busy = true
        self.jobSink.yield { await self.drain(id) }
    }

    private func drain(_ id: String) async {
        while let entry = self.entries[id] {
            guard let fire = entry.fires.first else {
                self.entries[id]?.busy = false
                return
            }
            self.entries[id]?.fires.removeFirst()
            await self.perform(fire, entry)
        }
    }

    /// One fire: the overlap policy decides whether (and how) a run starts.
    private func perform(_ fire: ScheduledFire, _ entry: ScheduleEntry) async {
        if fire.kind == .queueCheck {
            await self.startQueued(entry)
            return
        }
        if fire.kind == .recordMissed {
            await self.recordMissed(fire, entry)
            return
        }
        let firedAt = self.clock.now()
        if fire.kind == .onTime {
            let lateness = max(0, firedAt.timeIntervalSince(fire.due))
            self.stats.lateness.record(lateness)
            self.metrics?.observe(MetricName.schedulerLateness, lateness)
        }
        let overlap = entry.trigger.overlap
        var active: [String] = []
        if overlap != .allow {
            do {
                active = try await self.engine.activeRunIDs(workflow: entry.workflow, triggerKey: entry.key)
            } catch {
                self.logger.error("could not read active runs", metadata: self.metadata(entry, fire, error: error))
            }
        }
        switch overlap {
        case .allow:
            break
        case .skip:
            if !active.isEmpty {
                return await self.record(fire, entry, firedAt: firedAt, outcome: .skipped, reason: SlotReason.skipped(active: active))
            }
        case .queue:
            if !active.isEmpty || !entry.queued.isEmpty { return await self.hold(fire, entry, firedAt: firedAt, active: active) }
        case .cancelPrevious:
            for runID in active {
                do {
                    try await self.engine.cancel(
                        runID: runID, cause: "a newer slot of its cron trigger started (overlap: cancel_previous)")
                } catch {
                    // It may have ended on its own meanwhile; either way it no longer overlaps.
                    self.logger.debug("previous run not cancelled", metadata: self.metadata(entry, fire, error: error))
                }
            }
        }
        await self.start(fire, entry, firedAt: firedAt, promote: false, cancelled: overlap == .cancelPrevious ? active : [])
    }

    /// Creates the run and the ledger row in one transaction; a slot the ledger already has starts nothing.
    private func start(_ fire: ScheduledFire, _ entry: ScheduleEntry, firedAt: Date, promote: Bool, cancelled: [String] = []) async {
        let (workflow, key, slot) = (entry.workflow, entry.key, fire.slot)
        let lateness = firedAt.timeIntervalSince(slot)
        let reason =
            promote
            ? SlotReason.released(lateness: lateness)
            : SlotReason.started(
                fire, trigger: entry.trigger, lateness: lateness, delay: firedAt.timeIntervalSince(fire.due),
                grace: self.options.grace, cancelled: cancelled)
        var trigger: [String: JSONValue] = [
            "type": "cron", "scheduled_at": .string(Timestamp.format(slot)), "fired_at": .string(Timestamp.format(firedAt)),
            "schedule": .string(entry.trigger.schedule.text), "timezone": .string(entry.trigger.timezone),
            "scheduled_local": .string(CronPreview.rfc3339(slot, in: entry.zone)),
        ]
        if fire.kind == .catchUp { trigger["catch_up"] = true }
        if promote { trigger["queued"] = true }
        do {
            let runID = try await self.engine.startRun(
                definition: entry.definition, trigger: .object(trigger), input: .object([:]), triggerKey: key,
                hook: { db, runID in
                    if promote {
                        try ScheduleLedger.promote(
                            db, workflow: workflow, key: key, scheduledAt: slot, firedAt: firedAt, runID: runID, suffix: reason)
                    } else {
                        try ScheduleLedger.insert(
                            db, workflow: workflow, key: key, scheduledAt: slot, firedAt: firedAt, runID: runID, outcome: .started,
                            reason: reason)
                    }
                })
            self.stats.fires += 1
            if fire.kind == .catchUp { self.stats.catchUpFires += 1 }
            self.noteFired(entry.id, slot: slot, firedAt: firedAt, runID: runID)
            var metadata = self.metadata(entry, fire)
            metadata[LogKey.runID] = "\(runID)"
            self.logger.debug("cron fired", metadata: metadata)
        } catch is ScheduleLedger.SlotTaken {
            self.stats.duplicatesRefused += 1
            self.logger.debug("cron slot already fired", metadata: self.metadata(entry, fire))
        } catch let error as EngineError where error.code == .unavailable {
            // Shutting down: the slot stays unrecorded, so the next start sees it as missed (catch_up decides).
            return
        } catch {
            self.logger.error("cron fire could not start a run", metadata: self.metadata(entry, fire, error: error))
            await self.record(fire, entry, firedAt: firedAt, outcome: .failed, reason: SlotReason.failed(error))
        }
    }

    /// Records a slot that did not start a run (`skipped`, `failed`).
    private func record(
        _ fire: ScheduledFire, _ entry: ScheduleEntry, firedAt: Date, outcome: ScheduleLedger.Outcome, reason: String
    ) async {
        let (workflow, key, slot) = (entry.workflow, entry.key, fire.slot)
        do {
            try await self.store.write { db in
                try ScheduleLedger.settle(
                    db, workflow: workflow, key: key, scheduledAt: slot, firedAt: firedAt, outcome: outcome, reason: reason)
            }
        } catch {
            self.logger.error("could not record a cron slot", metadata: self.metadata(entry, fire, error: error))
        }
        if outcome == .skipped {
            self.entries[entry.id]?.skipped += 1
            self.stats.skipped += 1
            self.logger.debug("cron fire skipped: previous run still active", metadata: self.metadata(entry, fire))
        }
    }

    /// `overlap: queue` with a run still active: the slot waits (durably, as a `queued` ledger row).
    private func hold(_ fire: ScheduledFire, _ entry: ScheduleEntry, firedAt: Date, active: [String]) async {
        guard entry.queued.count < self.options.maximumQueued else {
            let reason = SlotReason.queueFull(limit: self.options.maximumQueued, active: active)
            return await self.record(fire, entry, firedAt: firedAt, outcome: .skipped, reason: reason)
        }
        let (workflow, key, slot) = (entry.workflow, entry.key, fire.slot)
        let reason = SlotReason.queued(active: active, ahead: entry.queued.count)
        do {
            try await self.store.write { db in
                try ScheduleLedger.insert(
                    db, workflow: workflow, key: key, scheduledAt: slot, firedAt: firedAt, runID: nil, outcome: .queued, reason: reason)
            }
        } catch is ScheduleLedger.SlotTaken {
            return
        } catch {
            self.logger.error("could not queue a cron slot", metadata: self.metadata(entry, fire, error: error))
            return
        }
        self.entries[entry.id]?.queued.append(slot)
        self.queueing.insert(entry.id)
        // The run may have ended while the row was written; its end event could have come and gone.
        self.enqueue(ScheduledFire(slot: firedAt, due: firedAt, kind: .queueCheck), for: entry.id)
    }

    /// Starts the oldest held-back slot if the trigger has no active run any more.
    private func startQueued(_ entry: ScheduleEntry) async {
        guard let slot = entry.queued.first else { return }
        let active: [String]
        do {
            active = try await self.engine.activeRunIDs(workflow: entry.workflow, triggerKey: entry.key)
        } catch {
            return
        }
        guard active.isEmpty, self.entries[entry.id]?.queued.first == slot else { return }
        self.entries[entry.id]?.queued.removeFirst()
        if self.entries[entry.id]?.queued.isEmpty ?? true { self.queueing.remove(entry.id) }
        let fire = ScheduledFire(slot: slot, due: slot, kind: .late)
        await self.start(fire, entry, firedAt: self.clock.now(), promote: true)
    }

    /// Writes the `missed` rows of a catch-up decision; they keep those slots from ever firing and say why.
    private func recordMissed(_ fire: ScheduledFire, _ entry: ScheduleEntry) async {
        let (workflow, key, rows, now) = (entry.workflow, entry.key, fire.missed, self.clock.now())
        do {
            try await self.store.write { db in
                try ScheduleLedger.insertMissed(db, workflow: workflow, key: key, slots: rows, decidedAt: now)
            }
        } catch {
            self.logger.error("could not record missed cron slots", metadata: self.metadata(entry, fire, error: error))
        }
    }

    private func noteFired(_ id: String, slot: Date, firedAt: Date, runID: String) {
        guard var entry = self.entries[id] else { return }
        if entry.lastScheduledAt.map({ slot >= $0 }) ?? true {
            entry.lastScheduledAt = slot
            entry.lastFiredAt = firedAt
            entry.lastRunID = runID
        }
        self.entries[id] = entry
    }

    func metadata(_ entry: ScheduleEntry, _ fire: ScheduledFire, error: (any Error)? = nil) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            LogKey.workflow: "\(entry.workflow)", LogKey.trigger: "\(entry.key)",
            LogKey.scheduledAt: "\(Timestamp.format(fire.slot))",
        ]
        if let error { metadata[LogKey.error] = "\(error)" }
        return metadata
    }
}
