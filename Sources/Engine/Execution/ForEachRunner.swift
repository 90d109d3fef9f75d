import Foundation
import GRDB

/// Runs a `for_each` step: its inline step once per item, `concurrency` at a time, each item's result stored
/// as it finishes so a restart redoes only unfinished items.
struct ForEachRunner {
    static let maxItems = 10_000

    let request: StepRequest
    let store: Store
    let registry: StepRegistry
    let clock: any EngineClock

    func run() async -> Result<StepOutcome, StepFailure> {
        let step = self.request.step
        guard let body = step.body?.step else { return .failure(StepFailure("for_each '\(step.id)' has no inline step", retryable: false)) }
        guard case .array(let items) = self.request.with["items"] ?? .null else {
            return .failure(
                StepFailure("for_each '\(step.id)': 'items' must be a list, not \((self.request.with["items"] ?? .null).typeName)", retryable: false))
        }
        guard items.count <= Self.maxItems else {
            return .failure(StepFailure("for_each '\(step.id)': \(items.count) items is more than the limit of \(Self.maxItems)", retryable: false))
        }
        let concurrency = max(1, self.request.with["concurrency"]?.intValue ?? 1)
        let failFast = self.request.with["fail_fast"]?.boolValue ?? true
        guard let executor = self.registry.executor(for: body.type) else {
            return .failure(StepFailure("no executor is registered for step type '\(body.type)'", retryable: false))
        }
        let runID = self.request.runID
        let stepID = step.id
        let done: [Int: JSONValue]
        do {
            done = try await self.store.read { db in
                var out: [Int: JSONValue] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT idx, output_json FROM item_run WHERE run_id = ? AND step_id = ? AND status = 'completed'", arguments: [runID, stepID]) {
                    out[row["idx"]] = (row["output_json"] as String?).flatMap { try? JSONValue.parse($0) } ?? .null
                }
                return out
            }
        } catch {
            return .failure(StepFailure("for_each '\(stepID)': cannot read item results: \(error)"))
        }
        var outputs = [JSONValue](repeating: .null, count: items.count)
        for (i, v) in done where i < items.count { outputs[i] = v }
        let pending = (0..<items.count).filter { done[$0] == nil }
        if let failure = await self.markPending(pending) { return .failure(failure) }
        var firstFailure: (Int, String)?
        await withTaskGroup(of: (Int, Result<JSONValue, StepFailure>).self) { group in
            var next = 0
            func addNext() {
                guard next < pending.count else { return }
                let index = pending[next]
                next += 1
                group.addTask { (index, await self.runItem(index: index, item: items[index], body: body, executor: executor)) }
            }
            for _ in 0..<min(concurrency, pending.count) { addNext() }
            while let (index, result) = await group.next() {
                switch result {
                case .success(let output): outputs[index] = output
                case .failure(let failure):
                    if firstFailure == nil || index < firstFailure!.0 { firstFailure = (index, failure.message) }
                }
                if failFast, firstFailure != nil { continue }
                addNext()
            }
        }
        if Task.isCancelled { return .failure(StepFailure(StepRunner.cancelledMessage, retryable: false)) }
        if let (index, message) = firstFailure {
            return .failure(StepFailure("for_each '\(stepID)' item \(index) failed: \(message)", retryable: false, output: .array(outputs)))
        }
        return .success(.completed(.array(outputs)))
    }

    private func runItem(index: Int, item: JSONValue, body: StepDefinition, executor: any StepExecutor) async -> Result<JSONValue, StepFailure> {
        var scope = self.request.scope
        scope.roots["item"] = item
        scope.roots["index"] = .number(Double(index))
        var itemRequest = self.request
        itemRequest.step = body
        itemRequest.scope = scope
        if let condition = body.condition {
            do {
                if !(try condition.evaluate(in: scope).isTruthy) { return await self.record(index, .success(.null)) }
            } catch {
                return await self.record(index, .failure(StepFailure("item \(index): \(error.description)", retryable: false)))
            }
        }
        do {
            itemRequest.with = try body.with.evaluate(in: scope).objectValue ?? [:]
        } catch {
            return await self.record(index, .failure(StepFailure("item \(index): \(error.description)", retryable: false)))
        }
        let attempts = body.retry?.attempts ?? 1
        var last = StepFailure("not run")
        for attempt in 1...attempts {
            itemRequest.attempt = attempt
            switch await StepRunner.attempt(itemRequest, executor: executor, timeout: body.timeout, clock: self.clock) {
            case .success(.completed(let output)): return await self.record(index, .success(output))
            case .success(.wait): return await self.record(index, .failure(StepFailure("the inline step of for_each cannot wait", retryable: false)))
            case .failure(let failure):
                last = failure
                // A cancelled item (shutdown, run cancelled) is left unrecorded so it runs again after a restart.
                if failure.message == StepRunner.cancelledMessage { return .failure(failure) }
                if !failure.retryable { return await self.record(index, .failure(failure)) }
                if attempt < attempts, let policy = body.retry {
                    try? await self.clock.sleep(until: self.clock.now().addingTimeInterval(max(policy.delay(after: attempt), failure.retryAfter ?? 0)))
                }
            }
        }
        return await self.record(index, .failure(last))
    }

    /// Records the items still to run as `pending`, so `item_run` holds every item while the step runs and
    /// `Store.itemProgress` can say how far it got (done of total) without knowing the list.
    private func markPending(_ indices: [Int]) async -> StepFailure? {
        guard !indices.isEmpty else { return nil }
        let runID = self.request.runID
        let stepID = self.request.step.id
        do {
            try await self.store.write { db in
                let statement = try db.cachedStatement(
                    sql: """
                        INSERT INTO item_run (run_id, step_id, idx, status, attempts) VALUES (?, ?, ?, 'pending', 0)
                        ON CONFLICT(run_id, step_id, idx) DO UPDATE SET status = 'pending', output_json = NULL, error = NULL
                        """)
                for index in indices { try statement.execute(arguments: [runID, stepID, index]) }
            }
        } catch {
            return StepFailure("for_each '\(stepID)': cannot record its items: \(error)")
        }
        return nil
    }

    /// Stores an item's result before it counts as done.
    private func record(_ index: Int, _ result: Result<JSONValue, StepFailure>) async -> Result<JSONValue, StepFailure> {
        let runID = self.request.runID
        let stepID = self.request.step.id
        let redactor = Redactor(secrets: self.request.secretValues)
        let (status, output, error): (String, String?, String?) = switch result {
        case .success(let v): ("completed", redactor.redact(v).jsonString(), nil)
        case .failure(let f): ("failed", nil, redactor.redact(f.message))
        }
        do {
            try await self.store.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO item_run (run_id, step_id, idx, status, attempts, output_json, error) VALUES (?, ?, ?, ?, 1, ?, ?)
                        ON CONFLICT(run_id, step_id, idx) DO UPDATE SET status = excluded.status, attempts = item_run.attempts + 1,
                            output_json = excluded.output_json, error = excluded.error
                        """,
                    arguments: [runID, stepID, index, status, output, error])
            }
        } catch {
            return .failure(StepFailure("for_each item \(index): cannot store its result: \(error)"))
        }
        return result
    }
}
