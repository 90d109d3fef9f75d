/// The `with:` fields each step type accepts, checked when a workflow loads (SPEC §6).
public struct StepSchema: Sendable {
    public var kind: String
    public var required: [String]
    public var optional: [String]
    /// At least one of these must be present (e.g. `prompt` or `messages`).
    public var oneOf: [String]

    public init(kind: String, required: [String] = [], optional: [String] = [], oneOf: [String] = []) {
        self.kind = kind
        self.required = required
        self.optional = optional
        self.oneOf = oneOf
    }

    /// Every field this step type knows.
    public var allFields: [String] { self.required + self.optional + self.oneOf }
}

/// Every step type of SPEC §6 with its fields.
public enum StepCatalog {
    public static let schemas: [String: StepSchema] = Dictionary(
        uniqueKeysWithValues: [
            StepSchema(
                kind: "http_request", required: ["url"],
                optional: [
                    "method", "headers", "query", "body", "form", "timeout", "follow_redirects", "expect_status",
                    "max_response",
                ]),
            StepSchema(
                kind: "llm_call",
                optional: [
                    "provider", "base_url", "api_key", "model", "system", "temperature", "max_tokens", "json_schema",
                    "timeout",
                ],
                oneOf: ["prompt", "messages"]),
            StepSchema(kind: "inline_code", required: ["code"], optional: ["language", "env", "timeout"]),
            StepSchema(kind: "command", required: ["argv"], optional: ["cwd", "env", "stdin", "timeout"]),
            StepSchema(kind: "condition", required: ["expression"]),
            StepSchema(kind: "transform", required: ["value"]),
            StepSchema(kind: "database_query", required: ["database", "sql"], optional: ["params", "timeout"]),
            StepSchema(kind: "send_email", required: ["to", "subject"], optional: ["cc", "bcc", "from", "text", "html"]),
            StepSchema(kind: "webhook", required: ["url"], optional: ["payload", "secret", "headers", "timeout"]),
            StepSchema(kind: "delay", oneOf: ["duration", "until"]),
            StepSchema(
                kind: "wait_for_approval", optional: ["message", "approvers", "required", "timeout", "on_timeout"]),
            StepSchema(
                kind: "wait_for_event", required: ["event"],
                optional: ["key", "filter", "lookback", "timeout", "on_timeout"]),
            StepSchema(kind: "for_each", required: ["items", "step"], optional: ["concurrency", "fail_fast"]),
            StepSchema(kind: "function_call", required: ["function"], optional: ["args"]),
        ].map { ($0.kind, $0) })

    /// Step type names, sorted.
    public static var kinds: [String] { self.schemas.keys.sorted() }

    /// Fields of `with:` holding a duration, checked at load when written literally.
    public static let durationFields: Set<String> = ["timeout", "duration", "lookback"]

    /// Fields of `with:` whose strings are not templates evaluated at step start (read at another time).
    public static func deferredFields(of kind: String) -> Set<String> {
        switch kind {
        case "for_each": ["step"]
        case "wait_for_event": ["filter"]
        default: []
        }
    }
}
