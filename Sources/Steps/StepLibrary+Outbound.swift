public import Engine

extension StepLibrary {
    /// Executors that talk to other systems (HTTP, LLM, webhook, e-mail, databases).
    static func outbound(configuration: DaemonConfiguration, secrets: [String: String]) -> [any StepExecutor] {
        []
    }
}
