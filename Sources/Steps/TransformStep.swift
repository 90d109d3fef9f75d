public import Engine

/// `transform`: outputs `with.value`, templated recursively.
public struct TransformStep: StepExecutor {
    public let kind = "transform"
    public init() {}

    public func execute(_ request: StepRequest) async throws -> StepOutcome {
        .completed(request.with["value"] ?? .null)
    }
}
