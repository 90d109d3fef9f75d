public import Engine

/// `condition`: evaluates `with.expression`; output `{"result": bool}`. The engine skips the branch not taken.
public struct ConditionStep: StepExecutor {
    public let kind = "condition"
    public init() {}

    public func execute(_ request: StepRequest) async throws -> StepOutcome {
        .completed(["result": .bool((request.with["expression"] ?? .null).isTruthy)])
    }
}
