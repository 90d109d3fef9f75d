public import Engine

/// `transform`: outputs `with.value`, templated recursively. Pure: the engine runs it inline.
public struct TransformStep: InlineStepExecutor {
    public let kind = "transform"
    public init() {}

    public func executeInline(_ request: StepRequest) throws -> StepOutcome {
        .completed(request.with["value"] ?? .null)
    }
}
