import Engine

/// Anthropic Messages (`POST {base_url}/messages`, base URL `https://api.anthropic.com/v1`). The API has no
/// schema-constrained output, so a `json_schema` is stated in the system text and the answer is parsed and
/// validated like any other.
struct AnthropicMessagesAPI: LLMProviderAPI {
    static let defaultBaseURL = "https://api.anthropic.com/v1"
    static let version = "2023-06-01"
    /// `max_tokens` is required by the API; this is used when the step gives none.
    static let defaultMaxTokens = 1024

    func request(_ conversation: LLMConversation, settings: LLMSettings) -> HTTPStepRequest {
        // The API takes system text apart from the turns, and turns must alternate starting with the user:
        // system turns join the system text, and adjacent turns of one role are merged.
        var systemParts = conversation.system.map { [$0] } ?? []
        var turns: [LLMConversation.Message] = []
        for message in conversation.messages {
            if message.role == .system {
                systemParts.append(message.content)
            } else if let last = turns.last, last.role == message.role {
                turns[turns.count - 1].content += "\n\n" + message.content
            } else {
                turns.append(message)
            }
        }
        if let schema = settings.schema {
            systemParts.append(
                "Reply with only a JSON value, without code fences or any other text, that conforms to this "
                    + "JSON Schema:\n\(schema.jsonString())")
        }
        var body: [String: JSONValue] = [
            "model": .string(settings.model),
            "max_tokens": .number(Double(settings.maxTokens ?? Self.defaultMaxTokens)),
            "messages": .array(turns.map { ["role": .string($0.role.rawValue), "content": .string($0.content)] }),
        ]
        if !systemParts.isEmpty { body["system"] = .string(systemParts.joined(separator: "\n\n")) }
        if let temperature = settings.temperature { body["temperature"] = .number(temperature) }
        var headers = [
            HTTPHeader(name: "Content-Type", value: "application/json"),
            HTTPHeader(name: "anthropic-version", value: Self.version),
        ]
        if let key = settings.apiKey { headers.append(HTTPHeader(name: "x-api-key", value: key)) }
        return HTTPStepRequest(
            method: "POST", url: settings.baseURL + "/messages", headers: headers,
            body: Array(JSONValue.object(body).jsonString().utf8), timeout: settings.timeout)
    }

    func reply(_ body: JSONValue, settings: LLMSettings) throws -> LLMReply {
        guard let blocks = body["content"]?.arrayValue else {
            throw StepFailure("the anthropic answer has no content list", retryable: true)
        }
        let text = blocks.filter { $0["type"]?.stringValue == "text" }.compactMap { $0["text"]?.stringValue }.joined()
        let usage = body["usage"]
        return LLMReply(
            text: text,
            model: body["model"]?.stringValue ?? settings.model,
            finishReason: body["stop_reason"]?.stringValue,
            usage: LLMUsageMeter.Usage(
                inputTokens: usage?["input_tokens"]?.intValue ?? 0, outputTokens: usage?["output_tokens"]?.intValue ?? 0,
                calls: 1))
    }
}
