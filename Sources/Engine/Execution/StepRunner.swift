import Foundation

/// Runs one attempt of a step outside the engine actor: evaluates `with`, applies the timeout, and turns
/// every way an attempt can end into a `StepOutcome` or a `StepFailure`.
enum StepRunner {
    static let cancelledMessage = "cancelled"

    static func perform(
        _ request: StepRequest, executor: (any StepExecutor)?, clock: any EngineClock, store: Store, registry: StepRegistry
    ) async -> Result<StepOutcome, StepFailure> {
        var request = request
        let step = request.step
        do {
            let value = try step.with.evaluate(in: request.scope)
            request.with = value.objectValue ?? [:]
        } catch {
            return .failure(StepFailure("step '\(step.id)': \(error.description)", retryable: false))
        }
        if step.type == "for_each" {
            return await ForEachRunner(request: request, store: store, registry: registry, clock: clock).run()
        }
        guard let executor else {
            return .failure(StepFailure("no executor is registered for step type '\(step.type)'", retryable: false))
        }
        return await self.attempt(request, executor: executor, timeout: self.effectiveTimeout(step, with: request.with), clock: clock)
    }

    /// The step's `timeout:`, or for process steps their `with.timeout` (SPEC §6 lists it there), whichever is shorter.
    static func effectiveTimeout(_ step: StepDefinition, with: [String: JSONValue]) -> Double? {
        guard step.type == "command" || step.type == "inline_code" else { return step.timeout }
        let fromWith: Double? = switch with["timeout"] ?? .null {
        case .number(let n) where n > 0: n
        case .string(let s): try? DurationText.parse(s)
        default: nil
        }
        switch (step.timeout, fromWith) {
        case (let a?, let b?): return min(a, b)
        case (let a, let b): return a ?? b
        }
    }

    /// One call of an executor, bounded by `timeout` seconds on the injected clock.
    static func attempt(
        _ request: StepRequest, executor: any StepExecutor, timeout: Double?, clock: any EngineClock
    ) async -> Result<StepOutcome, StepFailure> {
        do {
            guard let timeout else { return .success(try await executor.execute(request)) }
            let deadline = clock.now().addingTimeInterval(timeout)
            return try await withThrowingTaskGroup(of: StepOutcome?.self) { group in
                group.addTask { try await executor.execute(request) }
                group.addTask {
                    try await clock.sleep(until: deadline)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let outcome = first else {
                    throw StepFailure("step '\(request.step.id)' timed out after \(DurationText.format(timeout))")
                }
                return .success(outcome)
            }
        } catch let failure as StepFailure {
            return .failure(failure)
        } catch is CancellationError {
            return .failure(StepFailure(self.cancelledMessage, retryable: false))
        } catch {
            if Task.isCancelled { return .failure(StepFailure(self.cancelledMessage, retryable: false)) }
            return .failure(StepFailure("\(error)"))
        }
    }
}
