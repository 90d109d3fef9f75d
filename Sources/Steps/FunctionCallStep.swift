public import Engine

/// `function_call`: calls a function of the expression registry with `with.args`.
public struct FunctionCallStep: StepExecutor {
    public let kind = "function_call"
    public init() {}

    public func execute(_ request: StepRequest) async throws -> StepOutcome {
        guard let name = request.with["function"]?.stringValue else {
            throw StepFailure("'with.function' must be a function name", retryable: false)
        }
        let args: [JSONValue]
        switch request.with["args"] ?? .null {
        case .null: args = []
        case .array(let list): args = list
        case let single: args = [single]
        }
        do {
            return .completed(try request.scope.functions.call(name, args, now: request.now))
        } catch {
            throw StepFailure("function '\(name)': \(error)", retryable: false)
        }
    }
}
