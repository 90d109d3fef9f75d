import Engine

extension LLMCallStep {
    /// Provider, endpoint, key, model and sampling settings: `with` first, then `llm.<provider>` of the
    /// configuration, then the defaults.
    func settings(_ with: [String: JSONValue], secrets: [String: String]) throws -> LLMSettings {
        let provider = with["provider"]?.stringValue ?? "openai"
        guard provider == "openai" || provider == "anthropic" else {
            throw StepFailure("'with.provider' must be openai or anthropic, not '\(provider)'", retryable: false)
        }
        let configured = self.providers[provider] ?? LLMProviderConfiguration()
        let defaultBase = provider == "anthropic" ? AnthropicMessagesAPI.defaultBaseURL : OpenAIChatAPI.defaultBaseURL
        var baseURL =
            try self.text(with, "base_url")
            ?? ConfigValue.resolve(configured.baseURL, key: "llm.\(provider).base_url", secrets: secrets)
            ?? defaultBase
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        let secretName = provider == "anthropic" ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY"
        let apiKey =
            try self.text(with, "api_key")
            ?? ConfigValue.resolve(configured.apiKey, key: "llm.\(provider).api_key", secrets: secrets)
            ?? secrets[secretName]
        // A local OpenAI-compatible server may need no key; the provider's own API always does.
        if apiKey == nil, baseURL == defaultBase {
            throw StepFailure(
                "llm_call (\(provider)) has no API key: set 'with.api_key', 'llm.\(provider).api_key' in the "
                    + "configuration, or the secret \(secretName)", retryable: false)
        }
        guard
            let model = try self.text(with, "model")
                ?? ConfigValue.resolve(configured.model, key: "llm.\(provider).model", secrets: secrets)
        else {
            throw StepFailure(
                "llm_call (\(provider)) has no model: set 'with.model' or 'llm.\(provider).model' in the configuration",
                retryable: false)
        }
        var temperature: Double?
        if let value = with["temperature"], value != .null {
            guard let number = value.doubleValue, (0...2).contains(number) else {
                throw StepFailure("'with.temperature' must be a number from 0 to 2, not \(value.jsonString())", retryable: false)
            }
            temperature = number
        }
        var maxTokens: Int?
        if let value = with["max_tokens"], value != .null {
            guard let number = value.intValue, number >= 1 else {
                throw StepFailure("'with.max_tokens' must be a whole number of at least 1, not \(value.jsonString())", retryable: false)
            }
            maxTokens = number
        }
        var schema: JSONValue?
        switch with["json_schema"] ?? .null {
        case .null: schema = nil
        case .string(let text):
            // A schema written as a JSON string (e.g. read from a file by a template) is accepted too.
            guard let parsed = try? JSONValue.parse(text) else {
                throw StepFailure("'with.json_schema' is a string that is not JSON", retryable: false)
            }
            schema = parsed
        case let value: schema = value
        }
        return LLMSettings(
            provider: provider, baseURL: baseURL, apiKey: apiKey, model: model, temperature: temperature,
            maxTokens: maxTokens, schema: schema,
            timeout: try StepFields.duration(with["timeout"], field: "timeout") ?? Self.defaultTimeout)
    }

    private func text(_ with: [String: JSONValue], _ field: String) throws -> String? {
        switch with[field] ?? .null {
        case .null: return nil
        case .string(let text): return text.isEmpty ? nil : text
        case let other: throw StepFailure("'with.\(field)' must be a string, not \(other.typeName)", retryable: false)
        }
    }
}
