/// Stands in for every step type a dry run must not run for real: an attempt fails at once, naming the step and
/// saying how to mock it, so nothing reaches a process, the network, a database or a mailbox.
///
/// Pure step types (those with an `InlineStepExecutor`, and `function_call`) still run, as do the waits
/// (`delay`, `wait_for_approval`, `wait_for_event`), which only park the run: a dry run moves its manual clock to
/// the next timer, and reports a wait nothing offline can end.
public struct DryRunStepGuard: StepExecutor {
    public let kind: String

    /// Step types that run for real in a dry run even without an `InlineStepExecutor`: they have no effect
    /// outside the run.
    public static let harmlessKinds: Set<String> = ["function_call", "delay", "wait_for_approval", "wait_for_event"]

    public init(kind: String) {
        self.kind = kind
    }

    public func execute(_ request: StepRequest) async throws -> StepOutcome {
        throw StepFailure(
            "dry run: step '\(request.step.id)' (\(self.kind)) is not mocked, and a dry run never runs \(self.kind) steps; give it a mock output",
            retryable: false)
    }

    /// `registry` with every step type that could reach outside the run replaced by a guard.
    public static func guarding(_ registry: StepRegistry) -> StepRegistry {
        var guarded = registry
        for kind in registry.kinds {
            guard let executor = registry.executor(for: kind) else { continue }
            if executor is any InlineStepExecutor || Self.harmlessKinds.contains(kind) { continue }
            guarded.register(DryRunStepGuard(kind: kind))
        }
        return guarded
    }
}
