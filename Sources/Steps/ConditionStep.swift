public import Engine

/// `condition`: evaluates `with.expression`; output `{"result": bool}`. The engine skips the branch not taken.
/// Pure: the engine runs it inline.
public struct ConditionStep: InlineStepExecutor {
    public let kind = "condition"
    public init() {}

    public func executeInline(_ request: StepRequest) throws -> StepOutcome {
        .completed(["result": .bool((request.with["expression"] ?? .null).isTruthy)])
    }
}
