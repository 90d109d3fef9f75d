import Engine

/// OpenAI Chat Completions (`POST {base_url}/chat/completions`), which OpenAI-compatible servers (vLLM,
/// llama.cpp, Ollama, LiteLLM…) also speak. A `json_schema` becomes `response_format` of type `json_schema`.
struct OpenAIChatAPI: LLMProviderAPI {
    static let defaultBaseURL = "https://api.openai.com/v1"

    func request(_ conversation: LLMConversation, settings: LLMSettings) -> HTTPStepRequest {
        var messages: [JSONValue] = []
        if let system = conversation.system { messages.append(["role": "system", "content": .string(system)]) }
        for message in conversation.messages {
            messages.append(["role": .string(message.role.rawValue), "content": .string(message.content)])
        }
        var body: [String: JSONValue] = ["model": .string(settings.model), "messages": .array(messages)]
        if let temperature = settings.temperature { body["temperature"] = .number(temperature) }
        if let maxTokens = settings.maxTokens { body["max_tokens"] = .number(Double(maxTokens)) }
        if let schema = settings.schema {
            body["response_format"] = [
                "type": "json_schema", "json_schema": ["name": "result", "schema": schema],
            ]
        }
        var headers = [HTTPHeader(name: "Content-Type", value: "application/json")]
        if let key = settings.apiKey { headers.append(HTTPHeader(name: "Authorization", value: "Bearer \(key)")) }
        return HTTPStepRequest(
            method: "POST", url: settings.baseURL + "/chat/completions", headers: headers,
            body: Array(JSONValue.object(body).jsonString().utf8), timeout: settings.timeout)
    }

    func reply(_ body: JSONValue, settings: LLMSettings) throws -> LLMReply {
        guard let choice = body["choices"]?.arrayValue?.first, let message = choice["message"] else {
            throw StepFailure("the openai answer has no choices[0].message", retryable: true)
        }
        if let refusal = message["refusal"]?.stringValue, !refusal.isEmpty {
            throw StepFailure("the model refused: \(refusal)", retryable: false)
        }
        let usage = body["usage"]
        return LLMReply(
            text: message["content"]?.stringValue ?? "",
            model: body["model"]?.stringValue ?? settings.model,
            finishReason: choice["finish_reason"]?.stringValue,
            usage: LLMUsageMeter.Usage(
                inputTokens: usage?["prompt_tokens"]?.intValue ?? 0,
                outputTokens: usage?["completion_tokens"]?.intValue ?? 0, calls: 1))
    }
}
