public import Engine

/// Every step executor the daemon registers, configured from the daemon configuration.
public enum StepLibrary {
    /// The registry of SPEC §6 step types. `for_each` is driven by the engine itself.
    public static func registry(configuration: DaemonConfiguration, secrets: [String: String], environment: [String: String]) -> StepRegistry {
        var base: [String: String] = ["PATH": environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"]
        for name in configuration.envAllow { base[name] = environment[name] }
        var registry = StepRegistry([
            TransformStep(), ConditionStep(), FunctionCallStep(), DelayStep(), CommandStep(baseEnvironment: base),
            InlineCodeStep(baseEnvironment: base), WaitForApprovalStep(), WaitForEventStep(),
        ])
        for executor in self.outbound(configuration: configuration, secrets: secrets) { registry.register(executor) }
        return registry
    }
}
