import Foundation
import GRDB
import Logging

extension RunEngine {
    /// Decides what the run does next, commits it, then launches the attempts it started.
    func advance(_ run: ActiveRun, _ transition: Transition? = nil) async {
        var t = transition ?? Transition(runID: run.id)
        let now = self.clock.now()
        if run.status == .running || run.status == .waiting {
            self.plan(run, &t, now: now)
        }
        if !run.status.isTerminal {
            if let outcome = run.planner.outcome(run.steps) {
                self.finish(run, status: outcome.status, error: outcome.error, &t, now: now)
            } else if run.status == .running, run.tasks.isEmpty, t.launches.isEmpty,
                !run.steps.values.contains(where: { $0.status == .running || $0.status == .retrying }),
                run.hasWaitingSteps
            {
                run.status = .waiting
                t.runChanged = true
                t.events.append(RunEvent(at: now, type: .runWaiting, runID: run.id, workflow: run.workflow, status: "waiting"))
                self.releaseSlot(run)
            }
        }
        await self.commit(run, t)
    }

    /// Applies planner decisions until none are left: skips, `if` checks, and starts. Pure steps
    /// (`InlineStepExecutor`) run and settle right here, so what follows them is planned in the same transition.
    func plan(_ run: ActiveRun, _ t: inout Transition, now: Date) {
        while true {
            let decisions = run.planner.decide(run.steps)
            if decisions.isEmpty { return }
            for decision in decisions {
                switch decision {
                case .skip(let id, let reason):
                    self.settle(run, id, .skipped, error: nil, reason: reason, &t, now: now)
                case .start(let id):
                    let step = run.definition.steps[id]!
                    if let condition = step.condition {
                        do {
                            if !(try condition.evaluate(in: self.scope(for: run)).isTruthy) {
                                self.settle(run, id, .skipped, error: nil, reason: "its 'if' was false", &t, now: now)
                                continue
                            }
                        } catch {
                            self.settle(run, id, .failed, error: "'if' of step '\(id)': \(error)", reason: nil, &t, now: now)
                            continue
                        }
                    }
                    self.markRunning(run, id, &t, now: now)
                    if let executor = self.inlineExecutor(for: step) { self.runInline(run, id, executor, &t, now: now) }
                }
            }
            // A fatal failure stops planning: the run ends now.
            if run.planner.outcome(run.steps)?.status == .failed { return }
        }
    }

    func markRunning(_ run: ActiveRun, _ id: String, _ t: inout Transition, now: Date) {
        var state = run.steps[id]!
        state.status = .running
        state.attempts += 1
        state.startedAt = now
        state.endedAt = nil
        state.wakeAt = nil
        state.error = nil
        run.steps[id] = state
        t.dirtySteps.insert(id)
        t.launches.append(id)
        if run.status == .waiting {
            run.status = .running
            t.runChanged = true
            t.events.append(RunEvent(at: now, type: .runResumed, runID: run.id, workflow: run.workflow, status: "running"))
        }
        t.events.append(
            RunEvent(at: now, type: .stepStarted, runID: run.id, workflow: run.workflow, step: id, attempt: state.attempts, status: "running"))
    }

    /// Sets a step's final status for this run and records the event.
    func settle(_ run: ActiveRun, _ id: String, _ status: StepStatus, output: JSONValue? = nil, error: String?, reason: String?, _ t: inout Transition, now: Date) {
        var state = run.steps[id]!
        state.status = status
        state.endedAt = now
        state.wakeAt = nil
        state.error = error.map { self.redactor.redact($0) } ?? (status == .skipped ? reason : nil)
        if let output { state.output = self.redactor.redact(output) }
        run.steps[id] = state
        t.dirtySteps.insert(id)
        self.stepTransitions += 1
        let type: RunEvent.Kind = status == .completed ? .stepCompleted : status == .failed ? .stepFailed : .stepSkipped
        t.events.append(
            RunEvent(
                at: now, type: type, runID: run.id, workflow: run.workflow, step: id, attempt: state.attempts,
                status: status.rawValue, error: state.error, output: status == .completed ? state.output : nil))
    }

    /// Ends the run: cancels what still runs, skips what never ran, records the status.
    ///
    /// `cause` says why the run ends early (`step 'b' failed`, `the run's timeout of 1s expired`); a step that
    /// was started and is cut short fails with it: `cancelled after 306ms: step 'b' failed`. Without a cause
    /// (a failed step ends the run) the cause is that step's failure.
    func finish(_ run: ActiveRun, status: RunStatus, error: String?, cause: String? = nil, _ t: inout Transition, now: Date) {
        let cause = cause ?? run.planner.fatalStep(run.steps).map { "step '\($0)' failed" } ?? "the run ended"
        for (id, state) in run.steps where !state.status.isSettled {
            if let task = run.tasks.removeValue(forKey: id) { task.cancel() }
            if let cut = Self.cutShort(state, cause: cause, now: now) {
                self.settle(run, id, .failed, error: cut, reason: nil, &t, now: now)
            } else {
                let why = status == .cancelled ? "the run was cancelled" : "the run ended before it ran"
                self.settle(run, id, .skipped, error: nil, reason: why, &t, now: now)
            }
        }
        run.status = status
        t.runChanged = true
        let kind: RunEvent.Kind = status == .completed ? .runCompleted : status == .failed ? .runFailed : .runCancelled
        let output = status == .completed ? run.planner.output(run.steps) : nil
        t.events.append(
            RunEvent(at: now, type: kind, runID: run.id, workflow: run.workflow, status: status.rawValue, error: error.map { self.redactor.redact($0) }, output: output))
        t.end = RunEnd(status: status, at: now, error: error.map { self.redactor.redact($0) }, output: output)
        self.releaseSlot(run)
    }

    /// The error of a step that had started (running, waiting, or between retries) when its run ended, or nil
    /// for a step that never started (it is skipped instead). There is no `cancelled` step status (SPEC §7), so
    /// such a step fails, and its error says what happened and why.
    static func cutShort(_ state: StepState, cause: String, now: Date) -> String? {
        switch state.status {
        case .running, .waiting:
            let elapsed = state.startedAt.map { max(0, now.timeIntervalSince($0)) } ?? 0
            return "cancelled after \(Self.elapsedText(elapsed)): \(cause)"
        case .retrying:
            return "cancelled while waiting to retry (after \(state.attempts) attempts): \(cause)"
        default:
            return nil
        }
    }

    /// `306ms`, `1.2s`, `2m5s`: milliseconds below a second, one decimal below a minute.
    static func elapsedText(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds < 60 { return "\((seconds * 10).rounded() / 10)s" }
        return DurationText.format(seconds)
    }

    func releaseSlot(_ run: ActiveRun) {
        guard let key = run.concurrencyKey, let limit = run.definition.concurrency?.limit else { return }
        if let next = self.concurrency.release("\(run.workflow)\u{0}\(key)", runID: run.id, limit: limit) {
            self.queuedToStart.append(next)
        }
    }

    /// Commits a transition, publishes its events, launches its attempts, and retires finished runs.
    func commit(_ run: ActiveRun, _ t: Transition) async {
        let steps = t.dirtySteps.map { (run.record($0), run.steps[$0]!.wakeAt) }
        let runID = run.id
        let status = run.status
        let startedAt = run.startedAt
        let runChanged = t.runChanged && !status.isTerminal
        let events = t.events
        var writes = t.extra
        if let end = t.end {
            writes.append { db in
                try RunRows.updateRun(db, id: runID, status: end.status, startedAt: nil, endedAt: end.at, error: end.error, output: end.output)
                try db.run("DELETE FROM wait WHERE run_id = ?") { $0.bind(runID) }
            }
        }
        let extra = writes
        if !steps.isEmpty || runChanged || !events.isEmpty || !extra.isEmpty {
            do {
                let seqs = try await self.store.write { db -> [Int64] in
                    for (record, wake) in steps { try RunRows.upsertStep(db, runID: runID, record, wakeAt: wake) }
                    if runChanged {
                        try db.run("UPDATE run SET status = ?, started_at = COALESCE(started_at, ?) WHERE id = ?") {
                            $0.bind(status.rawValue); $0.bind(startedAt); $0.bind(runID)
                        }
                    }
                    for op in extra { try op(db) }
                    return try RunRows.insertEvents(db, events)
                }
                self.broadcaster.publish(zip(events, seqs).map { event, seq in
                    var e = event
                    e.seq = seq
                    return e
                })
                self.log(events)
            } catch {
                // The store refused the write (disk full, I/O error). Nothing more can be promised for this run:
                // stop driving it; it resumes from its last committed state after a restart.
                self.runLogger(run).error("could not store a run transition", metadata: [LogKey.error: "\(error)"])
                for task in run.tasks.values { task.cancel() }
                self.active.removeValue(forKey: run.id)
                return
            }
        }
        for id in t.launches where !run.status.isTerminal { self.launch(run, id) }
        if run.status.isTerminal {
            self.active.removeValue(forKey: run.id)
            await self.completed(run.id)
        } else if run.status == .waiting, run.tasks.isEmpty {
            // Parked: keep nothing in memory; timers and waits bring it back from the store.
            self.active.removeValue(forKey: run.id)
        }
        await self.startQueuedRuns()
        if !self.active.keys.contains(run.id) { self.pumpQueue() }
    }

    /// Activates runs that were queued for a concurrency slot that just freed up.
    func startQueuedRuns() async {
        while !self.queuedToStart.isEmpty {
            let id = self.queuedToStart.removeFirst()
            guard let run = try? await self.load(runID: id), run.status == .pending else { continue }
            run.status = .running
            run.startedAt = self.clock.now()
            var t = Transition(runID: id)
            t.runChanged = true
            await self.advance(run, t)
        }
    }
}
