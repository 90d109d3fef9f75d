/// What a mocked step answers in `triggerctl test` and the daemon's dry run: an output, or a failure with a message.
public enum MockAnswer: Sendable, Equatable {
    case output(JSONValue)
    case failure(String)
}

/// Stands in for the executor of one step type: steps whose id is mocked answer from their `MockAnswer`,
/// every other step of that type goes to the real executor.
///
/// The engine's registry is keyed by type, so `triggerctl test` registers one of these per type that has a
/// mocked step. A `for_each` step's inline step carries the `for_each` step's id, so mocking a `for_each`
/// answers every item with the same value.
public struct MockStepExecutor: StepExecutor {
    public let kind: String
    /// Answers by step id.
    let answers: [String: MockAnswer]
    /// The real executor of `kind`, if the registry has one.
    let real: (any StepExecutor)?

    public func execute(_ request: StepRequest) async throws -> StepOutcome {
        switch self.answers[request.step.id] {
        case .output(let value)?:
            return .completed(value)
        case .failure(let message)?:
            throw StepFailure(message, retryable: false)
        case nil:
            guard let real = self.real else {
                throw StepFailure("no executor is registered for step type '\(self.kind)'", retryable: false)
            }
            return try await real.execute(request)
        }
    }

    /// `registry` with every step named in `answers` mocked; `workflow` gives each step's type.
    public static func mocking(_ answers: [String: MockAnswer], in registry: StepRegistry, workflow: WorkflowDefinition)
        -> StepRegistry
    {
        var byKind: [String: [String: MockAnswer]] = [:]
        for (id, answer) in answers {
            guard let step = workflow.steps[id] else { continue }
            // A for_each runs its inline step through the registry, under the for_each's own id.
            let kind = step.type == "for_each" ? (step.body?.step.type ?? step.type) : step.type
            byKind[kind, default: [:]][id] = answer
        }
        var mocked = registry
        for (kind, kindAnswers) in byKind {
            mocked.register(MockStepExecutor(kind: kind, answers: kindAnswers, real: registry.executor(for: kind)))
        }
        return mocked
    }
}
