import Foundation
import GRDB
import Logging
import Synchronization

/// The work queue: accepted runs wait as `pending` rows until the engine claims them.
///
/// Every source of runs (webhook delivery, cron slot, event trigger, manual start, replay, retry) only
/// enqueues: one row in the group commit, after which its caller answers. The pump claims queued runs in
/// batches at the engine's pace and starts each batch in one transaction. Workflows take turns, and each may
/// have at most `runningPerWorkflow` runs going at once, so a flooded webhook workflow cannot hold
/// back another workflow's cron slot by more than one batch.
public enum RunQueue {
    /// Runs claimed and started per transaction.
    static let batch = 64
    /// The default of `RunEngine`'s `runningPerWorkflow`.
    public static let runningPerWorkflow = 256
    /// Queued runs the engine keeps in memory from their acceptance, so claiming them needs no read (a bound
    /// on memory: at most this many triggers and inputs).
    static let remembered = 4096
    /// Claims are written with this owner; a cluster names its nodes.
    static let owner = "local"
}

extension RunEngine {
    /// Stores `accepted` as a queued run together with `hook`'s rows; the pump starts it soon after.
    func enqueue(_ accepted: QueueRows.Accepted, hook: RunCreationHook?) async throws {
        try await self.store.write { db in
            try QueueRows.accept(db, accepted)
            try hook?(db, accepted.run.id)
        }
        self.backlog[accepted.run.workflow, default: 0] += 1
        self.queueGauge.add(1)
        if self.acceptedCount < RunQueue.remembered {
            self.acceptedRuns[accepted.run.workflow, default: []].append(accepted.run)
            self.acceptedCount += 1
        }
        self.pumpQueue()
    }

    /// Runs accepted and not yet started, in total.
    public nonisolated var queuedRuns: Int { self.queueGauge.value }

    /// Makes sure the queue is being drained (call after anything that may let a queued run start).
    func pumpQueue() {
        guard self.backlog.values.contains(where: { $0 > 0 }) else { return }
        if self.pumping {
            self.pumpAgain = true
            return
        }
        self.pumping = true
        Task { await self.drainQueue() }
    }

    private func drainQueue() async {
        repeat {
            self.pumpAgain = false
            while !self.shuttingDown {
                let batch: [QueueRows.Queued]
                do {
                    batch = try await self.nextBatch()
                } catch {
                    self.logger.error("could not read the work queue", metadata: [LogKey.error: "\(error)"])
                    break
                }
                if batch.isEmpty { break }
                await self.start(batch)
            }
        } while self.pumpAgain && !self.shuttingDown
        self.pumping = false
    }

    /// The next runs to start: workflows with queued runs and room to run take turns, oldest run first.
    private func nextBatch() async throws -> [QueueRows.Queued] {
        var running: [String: Int] = [:]
        for run in self.active.values where run.status != .pending { running[run.workflow, default: 0] += 1 }
        var wanted: [(workflow: String, count: Int)] = []
        let ready = self.backlog.filter { $0.value > 0 && running[$0.key, default: 0] < self.runningPerWorkflow }
        guard !ready.isEmpty else { return [] }
        // Round robin: start after the workflow served first last time, so no name always goes first.
        let names = ready.keys.sorted()
        let first = names.firstIndex { $0 > self.lastServed } ?? 0
        let share = max(1, RunQueue.batch / names.count)
        var total = 0
        for offset in 0..<names.count where total < RunQueue.batch {
            let name = names[(first + offset) % names.count]
            let room = self.runningPerWorkflow - running[name, default: 0]
            let count = min(share, ready[name]!, room, RunQueue.batch - total)
            wanted.append((name, count))
            total += count
        }
        self.lastServed = wanted.first?.workflow ?? ""
        // A workflow whose every queued run this engine accepted itself is served from memory: no read, no JSON
        // parsed again. Otherwise (runs queued before a restart, or more than it remembers) from the store.
        var batch: [QueueRows.Queued] = []
        var request: [(workflow: String, count: Int)] = []
        for (workflow, count) in wanted {
            if let remembered = self.acceptedRuns[workflow], remembered.count == self.backlog[workflow] {
                batch += remembered.prefix(count)
                self.forget(workflow, count)
            } else {
                request.append((workflow, count))
            }
        }
        guard !request.isEmpty else { return batch }
        let asked = request
        let found = try await self.store.read { db in
            try asked.map { ($0.workflow, $0.count, try QueueRows.next(db, workflow: $0.workflow, limit: $0.count)) }
        }
        for (workflow, count, runs) in found {
            // Fewer than counted: the rest were cancelled or claimed meanwhile.
            if runs.count < count { self.setBacklog(workflow, runs.count) }
            let ids = Set(runs.map(\.id))
            if let remembered = self.acceptedRuns[workflow], remembered.contains(where: { ids.contains($0.id) }) {
                let kept = remembered.filter { !ids.contains($0.id) }
                self.acceptedCount -= remembered.count - kept.count
                self.acceptedRuns[workflow] = kept.isEmpty ? nil : kept
            }
            batch += runs
        }
        return batch
    }

    /// Drops the first `count` remembered runs of `workflow` (they are being claimed).
    private func forget(_ workflow: String, _ count: Int) {
        guard var remembered = self.acceptedRuns[workflow] else { return }
        let n = min(count, remembered.count)
        remembered.removeFirst(n)
        self.acceptedCount -= n
        self.acceptedRuns[workflow] = remembered.isEmpty ? nil : remembered
    }

    private func setBacklog(_ workflow: String, _ count: Int) {
        let old = self.backlog[workflow, default: 0]
        self.backlog[workflow] = count == 0 ? nil : count
        self.queueGauge.add(count - old)
    }

    /// A queued run made ready to start: planned, its first transaction's contents decided.
    private struct Prepared {
        let run: ActiveRun
        let start: QueueRows.Start
        let steps: [StepRecord]
        let events: [RunEvent]
        let extra: [@Sendable (Database) throws -> Void]
        let launches: [String]
        let direct: Bool
    }

    /// Claims and starts `batch` in one transaction, then launches what each run starts with.
    private func start(_ batch: [QueueRows.Queued]) async {
        let now = self.clock.now()
        var prepared: [Prepared] = []
        for queued in batch {
            if let ready = await self.prepare(queued, now: now) { prepared.append(ready) }
        }
        let writes = prepared.map { ($0.start, $0.steps, $0.events, $0.extra) }
        let results: [[Int64]?]
        do {
            results = try await self.store.write { db -> [[Int64]?] in
                try writes.map { start, steps, events, extra -> [Int64]? in
                    guard try QueueRows.claim(db, start) else { return nil }
                    for step in steps { try RunRows.upsertStep(db, runID: start.id, step, wakeAt: nil) }
                    for op in extra { try op(db) }
                    return try RunRows.insertEvents(db, events)
                }
            }
        } catch {
            // Nothing was claimed: the runs stay queued and the next pump tries again (after a pause, so a store
            // that keeps failing is not hammered).
            self.logger.error("could not start queued runs", metadata: [LogKey.error: "\(error)"])
            for item in prepared where !item.run.status.isTerminal { self.releaseSlot(item.run) }
            try? await Task.sleep(for: .seconds(1))
            return
        }
        for workflow in Set(batch.map(\.workflow)) {
            let claimed = batch.filter { $0.workflow == workflow }.count
            self.setBacklog(workflow, max(0, self.backlog[workflow, default: 0] - claimed))
        }
        var finished = false
        for (item, seqs) in zip(prepared, results) {
            guard let seqs else {
                if !item.run.status.isTerminal { self.releaseSlot(item.run) }
                continue
            }
            await self.begun(item, seqs: seqs)
            finished = finished || item.run.status.isTerminal
        }
        if finished { await self.startQueuedRuns() }
    }

    /// Builds the run a queued row becomes and plans its first wave, so the claim stores the run, its first
    /// running steps and their events in one commit. Nil when the run cannot even be prepared (logged).
    private func prepare(_ queued: QueueRows.Queued, now: Date) async -> Prepared? {
        let definition: WorkflowDefinition
        let planner: GraphPlanner
        var previous: [String: StepState] = [:]
        do {
            (definition, planner) = try await self.definition(version: queued.version)
            if let retryOf = queued.retryOf { previous = try await self.completedSteps(of: retryOf) }
        } catch {
            self.logger.error(
                "a queued run cannot start", metadata: [LogKey.runID: "\(queued.id)", LogKey.error: "\(error)"])
            return nil
        }
        var steps: [String: StepState] = [:]
        for stepID in definition.stepOrder { steps[stepID] = previous[stepID] ?? StepState(status: .pending) }
        let run = ActiveRun(
            id: queued.id, definition: definition, planner: planner, status: .running, trigger: queued.trigger,
            input: queued.input, createdAt: queued.createdAt, startedAt: now, steps: steps)
        run.triggerKey = queued.triggerKey
        run.deadline = definition.timeout.map { now.addingTimeInterval($0) }
        var first = Transition(runID: run.id)
        if let policy = definition.concurrency {
            var key = ""
            if let template = policy.key {
                do {
                    key = try template.evaluate(in: self.scope(for: run)).interpolated
                } catch {
                    self.finish(run, status: .failed, error: "concurrency key: \(error)", cause: "its concurrency key failed", &first, now: now)
                }
            }
            if !run.status.isTerminal {
                run.concurrencyKey = key
                if !self.concurrency.acquire("\(definition.name)\u{0}\(key)", runID: run.id, limit: policy.limit) {
                    run.status = .pending
                    run.startedAt = nil
                }
            }
        }
        let startStatus = run.status
        if run.status == .running {
            self.plan(run, &first, now: now)
            // Pure steps may have settled the whole run in planning: store it finished, in the same commit.
            if let outcome = run.planner.outcome(run.steps) {
                self.finish(run, status: outcome.status, error: outcome.error, &first, now: now)
            }
        }
        let startEvent = RunEvent(
            at: now, type: .runStarted, runID: run.id, workflow: definition.name,
            status: (startStatus.isTerminal ? RunStatus.running : startStatus).rawValue)
        let start = QueueRows.Start(
            id: run.id, owner: RunQueue.owner, status: run.status, startedAt: run.startedAt, end: first.end,
            concurrencyKey: run.concurrencyKey, deadline: run.deadline)
        let direct = !first.launches.isEmpty && first.dirtySteps.count == first.launches.count
        return Prepared(
            run: run, start: start, steps: definition.stepOrder.map { run.record($0) }, events: [startEvent] + first.events,
            extra: first.extra, launches: first.launches, direct: direct)
    }

    /// After the claim committed: publish, keep the run, and launch its first steps.
    private func begun(_ item: Prepared, seqs: [Int64]) async {
        let run = item.run
        self.broadcaster.publish(zip(item.events, seqs).map { event, seq in
            var e = event
            e.seq = seq
            return e
        })
        self.log(item.events)
        self.runsStarted += 1
        if run.status.isTerminal {
            // Stored finished (only pure steps ran); finishing gave back its concurrency slot.
            await self.completed(run.id)
            return
        }
        self.active[run.id] = run
        if let deadline = run.deadline { self.addTimer(TimerHeap.Entry(at: deadline, runID: run.id, stepID: "")) }
        guard run.status == .running else { return }
        if item.direct {
            for stepID in item.launches { self.launch(run, stepID) }
        } else {
            // Skips, an immediate outcome or nothing to start: let the general path decide and store it.
            var rest = Transition(runID: run.id)
            rest.launches = item.launches
            Task { await self.advance(run, rest) }
        }
    }

    /// Wakes whoever waits for `runID` to end, with its stored record.
    func completed(_ runID: String) async {
        guard let waiters = self.completionWaiters.removeValue(forKey: runID) else { return }
        let record = try? await self.store.read { db in try RunRows.fetchRun(db, id: runID) }
        for waiter in waiters { waiter.resume(returning: record) }
    }

    /// The completed steps of a run, which its retry keeps.
    private func completedSteps(of runID: String) async throws -> [String: StepState] {
        guard let record = try await self.store.read({ db in try RunRows.fetchRun(db, id: runID) }) else { return [:] }
        var steps: [String: StepState] = [:]
        for step in record.steps where step.status == .completed {
            steps[step.id] = StepState(
                status: .completed, attempts: step.attempts, startedAt: step.startedAt, endedAt: step.endedAt, output: step.output)
        }
        return steps
    }

    /// Cancels a run that has not left the queue; false when it has (it started, or it does not exist).
    func cancelQueued(runID: String) async throws -> Bool {
        let now = self.clock.now()
        let workflow = try await self.store.read { db in
            try String.fetchOne(db, sql: "SELECT workflow FROM run WHERE id = ? AND claim_seq = 0", arguments: [runID])
        }
        guard let workflow else { return false }
        let event = RunEvent(
            at: now, type: .runCancelled, runID: runID, workflow: workflow, status: RunStatus.cancelled.rawValue,
            error: "cancelled by an operator")
        let seq = try await self.store.write { db -> Int64? in
            guard try QueueRows.cancel(db, id: runID, at: now, error: "cancelled by an operator") else { return nil }
            return try RunRows.insertEvent(db, event)
        }
        guard let seq else { return false }
        var stored = event
        stored.seq = seq
        self.broadcaster.publish([stored])
        self.log([event])
        self.setBacklog(workflow, max(0, self.backlog[workflow, default: 0] - 1))
        if let remembered = self.acceptedRuns[workflow], let index = remembered.firstIndex(where: { $0.id == runID }) {
            self.acceptedRuns[workflow]!.remove(at: index)
            self.acceptedCount -= 1
            if self.acceptedRuns[workflow]!.isEmpty { self.acceptedRuns[workflow] = nil }
        }
        await self.completed(runID)
        return true
    }

    /// Reads what the queue holds after a start (before this, the engine only knows what it enqueued itself).
    func recoverQueue() async throws {
        let counts = try await self.store.read { db in try QueueRows.backlog(db) }
        for (workflow, count) in counts { self.setBacklog(workflow, count) }
        self.pumpQueue()
    }
}

/// The queue's length, readable without the actor (the webhook listener's 429 decision, metrics).
final class QueueGauge: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { self.count.load(ordering: .relaxed) }
    func add(_ n: Int) { self.count.wrappingAdd(n, ordering: .relaxed) }
}
