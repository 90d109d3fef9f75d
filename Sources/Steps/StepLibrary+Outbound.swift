public import Engine

extension StepLibrary {
    /// Executors that talk to other systems (HTTP, LLM, webhook, e-mail, databases), sharing one libcurl
    /// transport that starts on first use.
    static func outbound(configuration: DaemonConfiguration, secrets: [String: String]) -> [any StepExecutor] {
        self.outbound(configuration: configuration, secrets: secrets, resources: OutboundResources())
    }

    /// The outbound executors over the given transports and token meter (keep `resources.usage` to export
    /// token metrics).
    public static func outbound(
        configuration: DaemonConfiguration, secrets: [String: String], resources: OutboundResources
    ) -> [any StepExecutor] {
        [
            HTTPRequestStep(transport: resources.http),
            LLMCallStep(transport: resources.http, providers: configuration.llm, secrets: secrets, usage: resources.usage),
            WebhookStep(transport: resources.http),
            SendEmailStep(transport: resources.mail, smtp: configuration.smtp, secrets: secrets),
            DatabaseQueryStep(databases: configuration.databases),
        ]
    }

    /// The full registry with the outbound executors built over `resources`, for a daemon that exports
    /// their metrics.
    public static func registry(
        configuration: DaemonConfiguration, secrets: [String: String], environment: [String: String],
        resources: OutboundResources
    ) -> StepRegistry {
        // The default outbound executors made by the other `registry` start nothing (the transport is lazy),
        // so replacing them here costs nothing.
        var registry = self.registry(configuration: configuration, secrets: secrets, environment: environment)
        for executor in self.outbound(configuration: configuration, secrets: secrets, resources: resources) {
            registry.register(executor)
        }
        return registry
    }
}
