/// What a dry run is asked to do: the run's input and trigger, and the answers of mocked steps.
public struct DryRunRequest: Sendable, Equatable {
    public var input: JSONValue
    /// The trigger object; `type` defaults to the workflow's first trigger type.
    public var trigger: JSONValue?
    /// Step id → the output the step answers with instead of running.
    public var mocks: [String: JSONValue]
    /// Step id → the message the step fails with instead of running.
    public var failures: [String: String]

    public init(
        input: JSONValue = .object([:]), trigger: JSONValue? = nil, mocks: [String: JSONValue] = [:],
        failures: [String: String] = [:]
    ) {
        self.input = input
        self.trigger = trigger
        self.mocks = mocks
        self.failures = failures
    }
}
