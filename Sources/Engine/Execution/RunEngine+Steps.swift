import Foundation
import GRDB
import Logging

extension RunEngine {
    /// Starts one attempt outside the actor; its result comes back through `stepFinished`.
    func launch(_ run: ActiveRun, _ id: String) {
        guard let step = run.definition.steps[id], let state = run.steps[id] else { return }
        let attempt = state.attempts
        let request = self.request(run, step, attempt: attempt)
        let executor = self.registry.executor(for: step.type)
        let clock = self.clock
        let store = self.store
        let runID = run.id
        // An unstructured task is right here: its lifetime is the attempt's, it is tracked in `run.tasks` so
        // cancel and shutdown can stop it, and shutdown awaits every one of them.
        run.tasks[id] = Task {
            let result = await StepRunner.perform(request, executor: executor, clock: clock, store: store, registry: self.registry)
            await self.stepFinished(runID: runID, stepID: id, attempt: attempt, result: result)
        }
    }

    /// The request for one attempt of `step` (its `with:` not yet evaluated).
    func request(_ run: ActiveRun, _ step: StepDefinition, attempt: Int) -> StepRequest {
        StepRequest(
            step: step, runID: run.id, workflow: run.workflow, attempt: attempt, scope: self.scope(for: run),
            now: self.clock.now(), engineLogger: self.logger, secretValues: self.secretValues)
    }

    /// The executor of `step` when it may run inside the planning transition: a pure type, and no retry policy
    /// (retries wait on timers, which only launched attempts use).
    func inlineExecutor(for step: StepDefinition) -> (any InlineStepExecutor)? {
        guard step.retry == nil else { return nil }
        return self.registry.executor(for: step.type) as? any InlineStepExecutor
    }

    /// Runs an attempt that `markRunning` just started, in the same transition, and settles it.
    func runInline(_ run: ActiveRun, _ id: String, _ executor: any InlineStepExecutor, _ t: inout Transition, now: Date) {
        guard let step = run.definition.steps[id], let state = run.steps[id] else { return }
        t.launches.removeAll { $0 == id }
        let result = StepRunner.performInline(self.request(run, step, attempt: state.attempts), executor: executor)
        self.observeAttempt(run, id, state, result, now: now)
        switch result {
        case .success(.completed(let output)):
            self.settle(run, id, .completed, output: output, error: nil, reason: nil, &t, now: now)
        case .success(.wait):
            self.settle(run, id, .failed, error: "step type '\(step.type)' runs inline and cannot wait", reason: nil, &t, now: now)
        case .failure(let failure):
            if let output = failure.output { run.steps[id]!.output = self.redactor.redact(output) }
            self.settle(run, id, .failed, error: failure.message, reason: nil, &t, now: now)
        }
    }

    /// Records what an attempt produced and moves the run on.
    func stepFinished(runID: String, stepID: String, attempt: Int, result: Result<StepOutcome, StepFailure>) async {
        guard let run = self.active[runID] else { return }
        run.tasks.removeValue(forKey: stepID)
        guard !run.status.isTerminal, let state = run.steps[stepID], state.status == .running, state.attempts == attempt else {
            return
        }
        // Cancelled by shutdown: leave the attempt as `running` in the store so it runs again after restart.
        if self.shuttingDown, case .failure(let failure) = result, failure.message == StepRunner.cancelledMessage { return }
        let now = self.clock.now()
        self.observeAttempt(run, stepID, state, result, now: now)
        var t = Transition(runID: runID)
        switch result {
        case .success(.completed(let output)):
            self.settle(run, stepID, .completed, output: output, error: nil, reason: nil, &t, now: now)
        case .success(.wait(let request)):
            await self.park(run, stepID, request, &t, now: now)
            return
        case .failure(let failure):
            let step = run.definition.steps[stepID]!
            if failure.retryable, let policy = step.retry, attempt < policy.attempts {
                var delay = policy.delay(after: attempt)
                if policy.jitter > 0 { delay *= 1 + Double.random(in: -policy.jitter...policy.jitter) }
                delay = max(delay, failure.retryAfter ?? 0)
                var s = state
                s.status = .retrying
                s.error = self.redactor.redact(failure.message)
                s.wakeAt = now.addingTimeInterval(delay)
                run.steps[stepID] = s
                t.dirtySteps.insert(stepID)
                t.events.append(
                    RunEvent(at: now, type: .stepRetrying, runID: runID, workflow: run.workflow, step: stepID, attempt: attempt, status: "retrying", error: s.error))
                self.addTimer(TimerHeap.Entry(at: s.wakeAt!, runID: runID, stepID: stepID))
            } else {
                if let output = failure.output { run.steps[stepID]!.output = self.redactor.redact(output) }
                self.settle(run, stepID, .failed, error: failure.message, reason: nil, &t, now: now)
            }
        }
        await self.advance(run, t)
    }

    /// Tells the step observers how long an attempt took; an attempt that parked on a wait is not one that ended.
    func observeAttempt(
        _ run: ActiveRun, _ stepID: String, _ state: StepState, _ result: Result<StepOutcome, StepFailure>, now: Date
    ) {
        guard !self.stepObservers.isEmpty, let startedAt = state.startedAt else { return }
        let succeeded: Bool
        switch result {
        case .success(.completed): succeeded = true
        case .success(.wait): return
        case .failure: succeeded = false
        }
        self.stepObservers.notify(
            StepObservers.Attempt(
                type: run.definition.steps[stepID]?.type ?? "unknown", succeeded: succeeded,
                seconds: max(0, now.timeIntervalSince(startedAt))))
    }

    /// Loads a run from the store into memory (for resumes, timers and decisions on parked runs).
    func load(runID: String) async throws -> ActiveRun? {
        if let run = self.active[runID] { return run }
        guard let record = try await self.store.read({ db in try RunRows.fetchRun(db, id: runID) }) else { return nil }
        guard !record.status.isTerminal else { return nil }
        // A run still in the work queue is the pump's to start, not anyone's to drive.
        guard try await !self.store.read({ db in try QueueRows.isQueued(db, id: runID) }) else { return nil }
        let (definition, planner) = try await self.definition(version: record.version)
        var steps: [String: StepState] = [:]
        for step in record.steps {
            steps[step.id] = StepState(
                status: step.status, attempts: step.attempts, startedAt: step.startedAt, endedAt: step.endedAt,
                output: step.output, error: step.error)
        }
        for id in definition.stepOrder where steps[id] == nil { steps[id] = StepState(status: .pending) }
        let wakes = try await self.store.read { db in
            try Row.fetchAll(db, sql: "SELECT step_id, wake_at FROM step_run WHERE run_id = ? AND wake_at IS NOT NULL", arguments: [runID])
                .map { (row: Row) -> (String, Double) in (row["step_id"], row["wake_at"]) }
        }
        for (id, wake) in wakes { steps[id]?.wakeAt = Date(timeIntervalSince1970: wake) }
        let meta = try await self.store.read { db -> (String?, String?, Double?)? in
            try Row.fetchOne(db, sql: "SELECT trigger_key, concurrency_key, deadline FROM run WHERE id = ?", arguments: [runID])
                .map { ($0["trigger_key"], $0["concurrency_key"], $0["deadline"]) }
        }
        let run = ActiveRun(
            id: record.id, definition: definition, planner: planner, status: record.status, trigger: record.trigger,
            input: record.input, createdAt: record.createdAt, startedAt: record.startedAt, steps: steps)
        run.triggerKey = meta?.0
        run.concurrencyKey = meta?.1
        run.deadline = meta?.2.map { Date(timeIntervalSince1970: $0) }
        self.active[runID] = run
        return run
    }
}
