import Foundation
import Logging
public import ServiceLifecycle

extension CronScheduler: Service {
    /// Runs until graceful shutdown (or cancellation): the start-up catch-up, then fires as slots come due.
    ///
    /// Fires in progress finish; nothing is left half-done in the store (each fire is one transaction).
    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.runUntilCancelled() }
    }

    /// The scheduler's work, until the task is cancelled. Call once.
    public func runUntilCancelled() async {
        guard !self.started else { return }
        self.started = true
        let runEnds = await self.engine.subscribe(
            kinds: [.runCompleted, .runFailed, .runCancelled], workflows: self.runEndWorkflows)
        await self.reconcile()
        await withDiscardingTaskGroup { group in
            group.addTask { await self.watchRunEnds(runEnds) }
            group.addTask { await self.timerLoop() }
            // Fires and queue checks arrive here; each is a child task, so shutdown waits for them.
            for await job in self.jobs {
                group.addTask { await job() }
            }
            group.cancelAll()
        }
    }

    /// Sleeps until the soonest due time (or a wake-up), fires what is due, and watches for clock jumps.
    private func timerLoop() async {
        var sleptUntil: Date?
        while !Task.isCancelled {
            let now = self.clock.now()
            if let target = sleptUntil, now.timeIntervalSince(target) > self.options.grace {
                self.clockJumped(to: now, expected: target)
            } else if let previous = self.lastObservedNow, now.timeIntervalSince(previous) < -self.options.grace {
                // Nothing to undo: next slots were computed after the last fired ones, and the ledger refuses
                // repeats. Schedules simply wait for the clock to catch up.
                self.stats.clockJumps += 1
                self.logger.notice("wall clock jumped backward", metadata: [LogKey.jump: "\(now.timeIntervalSince(previous))"])
            }
            self.lastObservedNow = now
            self.fireDue(now)
            let target = self.heap.earliest?.due
            self.sleepingUntil = target ?? .distantFuture
            let clock = self.clock
            let signal = self.wakeSignal
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await clock.sleep(until: target ?? .distantFuture) }
                group.addTask { await signal.wait() }
                await group.next()
                group.cancelAll()
            }
            self.sleepingUntil = nil
            sleptUntil = target
        }
    }

    /// Pops every due heap item and queues its fire; the entry's next slot goes back on the heap.
    func fireDue(_ now: Date) {
        while let item = self.heap.popDue(now) {
            guard let entry = self.entries[item.id], entry.generation == item.generation, let pending = entry.pending else {
                continue
            }
            self.schedule(item.id, after: pending.slot)
            self.enqueue(ScheduledFire(slot: pending.slot, due: pending.due, kind: .onTime), for: item.id)
        }
    }

    /// The wall clock moved forward past due slots while the scheduler slept: the slots in between are
    /// handled like downtime (per `catch_up`), and each trigger continues from now.
    private func clockJumped(to now: Date, expected: Date) {
        self.stats.clockJumps += 1
        self.logger.notice("wall clock jumped forward", metadata: [LogKey.jump: "\(now.timeIntervalSince(expected))"])
        for id in self.entries.keys.sorted() {
            guard let entry = self.entries[id], let pending = entry.pending, pending.due <= now else { continue }
            let trigger = entry.trigger
            let after = pending.slot.addingTimeInterval(-1)
            let resolved = MissedSlots.resolve(
                trigger.schedule, in: entry.zone, after: after, through: now,
                policy: trigger.catchUp, limit: trigger.catchUpLimit, grace: self.options.grace + trigger.jitter)
            self.applyMissed(resolved, to: id, after: after, now: now, occasion: .clockJump)
            self.schedule(id, after: now)
        }
    }

    /// Re-checks held-back slots when a run ends (only triggers with `overlap: queue` slots care).
    private func watchRunEnds(_ events: AsyncStream<RunEvent>) async {
        for await event in events {
            self.runEnded(workflow: event.workflow)
        }
    }

    private func runEnded(workflow: String) {
        for id in self.queueing {
            guard let entry = self.entries[id], entry.workflow == workflow else { continue }
            if !entry.fires.contains(where: { $0.kind == .queueCheck }) {
                self.enqueue(ScheduledFire(slot: self.clock.now(), due: self.clock.now(), kind: .queueCheck), for: id)
            }
        }
    }
}
