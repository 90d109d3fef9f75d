import Foundation

/// Runs one attempt of a step outside the engine actor: evaluates `with`, applies the timeout, and turns
/// every way an attempt can end into a `StepOutcome` or a `StepFailure`.
enum StepRunner {
    static let cancelledMessage = "cancelled"

    static func perform(
        _ request: StepRequest, executor: (any StepExecutor)?, clock: any EngineClock, store: Store, registry: StepRegistry
    ) async -> Result<StepOutcome, StepFailure> {
        let step = request.step
        let evaluated: StepRequest
        switch self.evaluatingWith(request) {
        case .success(let value): evaluated = value
        case .failure(let failure): return .failure(failure)
        }
        let request = evaluated
        if step.type == "for_each" {
            return await ForEachRunner(request: request, store: store, registry: registry, clock: clock).run()
        }
        guard let executor else {
            return .failure(StepFailure("no executor is registered for step type '\(step.type)'", retryable: false))
        }
        return await self.attempt(request, executor: executor, timeout: self.effectiveTimeout(step, with: request.with), clock: clock)
    }

    /// The request with its step's `with:` evaluated in its scope (a failure is not worth retrying).
    static func evaluatingWith(_ request: StepRequest) -> Result<StepRequest, StepFailure> {
        var evaluated = request
        do {
            evaluated.with = try request.step.with.evaluate(in: request.scope).objectValue ?? [:]
            return .success(evaluated)
        } catch {
            return .failure(StepFailure("step '\(request.step.id)': \(error.description)", retryable: false))
        }
    }

    /// One attempt of a pure step, run synchronously (see `InlineStepExecutor`).
    static func performInline(_ request: StepRequest, executor: any InlineStepExecutor) -> Result<StepOutcome, StepFailure> {
        switch self.evaluatingWith(request) {
        case .failure(let failure): return .failure(failure)
        case .success(let evaluated):
            do {
                return .success(try executor.executeInline(evaluated))
            } catch let failure as StepFailure {
                return .failure(failure)
            } catch {
                return .failure(StepFailure("\(error)"))
            }
        }
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
