import Foundation
import GRDB

extension RunEngine {
    /// Parks a step on a durable wait. The run leaves memory once nothing else of it is active.
    func park(_ run: ActiveRun, _ id: String, _ request: WaitRequest, _ t: inout Transition, now: Date) async {
        var state = run.steps[id]!
        let wait: WaitRows.Wait
        switch request {
        case .delay(let until):
            if until <= now {
                self.settle(run, id, .completed, output: ["resumed_at": .string(Timestamp.format(now))], error: nil, reason: nil, &t, now: now)
                await self.advance(run, t)
                return
            }
            state.wakeAt = until
            wait = WaitRows.Wait(runID: run.id, stepID: id, kind: "delay", createdAt: now, deadline: until, spec: .object([:]))
        case .approval(let a):
            state.wakeAt = a.deadline
            wait = WaitRows.Wait(
                runID: run.id, stepID: id, kind: "approval", createdAt: now, deadline: a.deadline,
                spec: .object([
                    "message": a.message.map { .string($0) } ?? .null, "approvers": .array(a.approvers.map { .string($0) }),
                    "required": .number(Double(a.required)), "on_timeout": .string(a.onTimeout.rawValue),
                ]))
        case .event(let e):
            state.wakeAt = e.deadline
            wait = WaitRows.Wait(
                runID: run.id, stepID: id, kind: "event", eventName: e.name, key: e.key, createdAt: now,
                notBefore: now.addingTimeInterval(-e.lookback), deadline: e.deadline,
                spec: .object(["filter": e.filter.map { .string($0) } ?? .null, "on_timeout": .string(e.onTimeout.rawValue)]))
        }
        state.status = .waiting
        run.steps[id] = state
        t.dirtySteps.insert(id)
        t.events.append(RunEvent(at: now, type: .stepWaiting, runID: run.id, workflow: run.workflow, step: id, attempt: state.attempts, status: "waiting"))
        t.extra.append { db in try WaitRows.insert(db, wait) }
        if let wake = state.wakeAt { self.addTimer(TimerHeap.Entry(at: wake, runID: run.id, stepID: id)) }
        await self.advance(run, t)
        if case .event(let e) = request { await self.checkLookback(runID: run.id, stepID: id, wait: e, since: wait.notBefore ?? now) }
    }

    /// An event stored before the wait began (within `lookback`) resumes it at once: no race between a step
    /// that causes an event and the wait that follows it.
    private func checkLookback(runID: String, stepID: String, wait: EventWait, since: Date) async {
        let now = self.clock.now()
        let redactor = self.redactor
        let resolution = try? await self.store.write { db -> WaitRows.Resolution? in
            guard try WaitRows.fetch(db, runID: runID, stepID: stepID) != nil else { return nil }
            let recent = try WaitRows.recentEvents(db, name: wait.name, key: wait.key, since: since)
            guard !recent.isEmpty else { return nil }
            let consumed = try WaitRows.consumedEventIDs(db, runID: runID)
            for event in recent where !consumed.contains(event.id) && event.matches(key: wait.key, filter: wait.filter, now: now) {
                return try WaitRows.resolve(db, runID: runID, stepID: stepID, status: .completed, output: redactor.redact(event.json), error: nil, at: now)
            }
            return nil
        }
        if let resolution { await self.applyResolution(resolution) }
    }

    /// Moves a run on after `WaitRows.resolve` committed the resolution of one of its waits: publishes the
    /// committed events, brings the step's outcome into memory and advances. Nothing here has to survive a
    /// crash: the store already says `running`, so recovery would do the same.
    func applyResolution(_ resolution: WaitRows.Resolution) async {
        self.broadcaster.publish(resolution.events)
        self.log(resolution.events)
        guard let run = try? await self.load(runID: resolution.runID), var state = run.steps[resolution.stepID] else { return }
        if run.status == .waiting { run.status = .running }
        if resolution.resumed { self.reacquireSlot(run) }
        state.status = resolution.status
        state.endedAt = resolution.at
        state.wakeAt = nil
        state.error = resolution.error
        if let output = resolution.output { state.output = output }
        run.steps[resolution.stepID] = state
        self.stepTransitions += 1
        await self.advance(run)
    }

    private func reacquireSlot(_ run: ActiveRun) {
        guard let key = run.concurrencyKey, let limit = run.definition.concurrency?.limit else { return }
        // A resumed run takes its slot back even past the limit: it was admitted once already.
        _ = self.concurrency.acquire("\(run.workflow)\u{0}\(key)", runID: run.id, limit: max(limit, Int.max / 2))
    }

    func addTimer(_ entry: TimerHeap.Entry) {
        self.timers.insert(entry)
        if self.timerTarget == nil || entry.at < self.timerTarget! { self.wake() }
    }

    func wake() {
        self.wakeContinuation?.resume()
        self.wakeContinuation = nil
    }

    private func waitForWake() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                self.wakeContinuation?.resume()
                self.wakeContinuation = continuation
            }
        } onCancel: {
            Task { await self.wake() }
        }
    }

    /// Fires due timers until cancelled. Sleeps until the soonest one (no polling), woken early by new timers.
    public func runTimers() async {
        while !Task.isCancelled && !self.shuttingDown {
            let due = self.timers.popDue(self.clock.now())
            for entry in due { await self.fire(entry) }
            if !due.isEmpty { continue }
            let target = self.timers.earliest?.at
            self.timerTarget = target
            let clock = self.clock
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await clock.sleep(until: target ?? Date.distantFuture) }
                group.addTask { await self.waitForWake() }
                await group.next()
                group.cancelAll()
            }
            self.timerTarget = nil
        }
    }

    /// Number of timers pending (tests and metrics).
    public var timerCount: Int { self.timers.count }

    private func fire(_ entry: TimerHeap.Entry) async {
        guard let run = try? await self.load(runID: entry.runID), !run.status.isTerminal else { return }
        let now = self.clock.now()
        if entry.stepID.isEmpty {
            guard let deadline = run.deadline, deadline <= now else { return }
            var t = Transition(runID: run.id)
            let limit = DurationText.format(run.definition.timeout ?? 0)
            self.finish(
                run, status: .failed, error: "the run timed out after \(limit)", cause: "the run's timeout of \(limit) expired",
                &t, now: now)
            await self.commit(run, t)
            return
        }
        guard let state = run.steps[entry.stepID], let wake = state.wakeAt, wake <= now else {
            if self.active[run.id]?.tasks.isEmpty ?? false, run.status == .waiting { self.active.removeValue(forKey: run.id) }
            return
        }
        switch state.status {
        case .retrying:
            var t = Transition(runID: run.id)
            if run.status == .waiting {
                run.status = .running
                t.runChanged = true
            }
            self.markRunning(run, entry.stepID, &t, now: now)
            await self.advance(run, t)
        case .waiting:
            await self.expireWait(run, entry.stepID, now: now)
        default:
            return
        }
    }

    /// A wait's deadline passed: apply its `on_timeout` (or finish a delay), if nothing resolved it first.
    private func expireWait(_ run: ActiveRun, _ stepID: String, now: Date) async {
        let runID = run.id
        let redactor = self.redactor
        let resolution = try? await self.store.write { db -> WaitRows.Resolution? in
            guard let wait = try WaitRows.fetch(db, runID: runID, stepID: stepID) else { return nil }
            let onTimeout = wait.spec["on_timeout"]?.stringValue
            let result: (StepStatus, JSONValue?, String?)
            switch wait.kind {
            case "delay":
                result = (.completed, ["resumed_at": .string(Timestamp.format(now))], nil)
            case "approval":
                let by = try String.fetchAll(
                    db, sql: "SELECT user FROM approval_decision WHERE run_id = ? AND step_id = ? AND approved = 1 ORDER BY id",
                    arguments: [runID, stepID])
                switch onTimeout {
                case "approve":
                    result = (.completed, ["approved": true, "by": .array(by.map { .string($0) }), "comment": .null, "at": .string(Timestamp.format(now)), "timed_out": true], nil)
                case "fail":
                    result = (.failed, nil, "no decision on step '\(stepID)' before its timeout")
                default:
                    result = (.completed, ["approved": false, "by": .array(by.map { .string($0) }), "comment": .null, "at": .string(Timestamp.format(now)), "timed_out": true], nil)
                }
            default:
                if onTimeout == "continue" {
                    result = (.completed, ["timed_out": true, "name": .null, "key": .null, "data": .null, "received_at": .null], nil)
                } else {
                    result = (.failed, nil, "no event '\(wait.eventName ?? "")' arrived before the timeout of step '\(stepID)'")
                }
            }
            return try WaitRows.resolve(
                db, runID: runID, stepID: stepID, status: result.0, output: result.1.map { redactor.redact($0) },
                error: result.2.map { redactor.redact($0) }, at: now)
        }
        guard let resolution else { return }
        await self.applyResolution(resolution)
    }
}
