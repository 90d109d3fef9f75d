import Engine

/// Values in `triggerd.yaml` that may name secrets, like `api_key: "{{ secrets.OPENAI_API_KEY }}"`.
enum ConfigValue {
    /// The value with its templates evaluated against `secrets`; nil stays nil. A template that does not
    /// evaluate is reported naming the configuration key (never the secret).
    static func resolve(_ text: String?, key: String, secrets: [String: String]) throws -> String? {
        guard let text else { return nil }
        guard text.contains("{{") else { return text }
        do {
            let scope = ExpressionScope(roots: ["secrets": .object(secrets.mapValues { .string($0) })])
            let value = try Template.parse(text).evaluate(in: scope)
            return value == .null ? nil : value.interpolated
        } catch {
            throw StepFailure("configuration '\(key)': \(error.description)", retryable: false)
        }
    }
}
