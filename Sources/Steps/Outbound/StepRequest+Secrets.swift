import Engine

extension StepRequest {
    /// The secrets as the engine holds them for this attempt (the `secrets` root of its scope), so a reload that
    /// re-read the secrets file reaches the configuration values steps resolve (`llm.*.api_key`, `smtp.password`).
    /// `fallback` (the secrets the step was built with) serves requests made without that root, as in unit tests.
    func secrets(fallback: [String: String]) -> [String: String] {
        guard let root = self.scope.roots["secrets"]?.objectValue else { return fallback }
        return root.compactMapValues(\.stringValue)
    }
}
