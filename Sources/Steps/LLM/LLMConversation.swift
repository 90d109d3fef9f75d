import Engine

/// What `llm_call` asks: a system text and the turns, in a provider-neutral shape.
struct LLMConversation: Sendable {
    enum Role: String, Sendable { case system, user, assistant }

    struct Message: Sendable, Equatable {
        var role: Role
        var content: String
    }

    var system: String?
    var messages: [Message]

    /// Reads `system`, `messages` (a list of `{role, content}`) and `prompt` (a last user turn).
    static func read(_ with: [String: JSONValue]) throws -> LLMConversation {
        var messages: [Message] = []
        switch with["messages"] ?? .null {
        case .null: break
        case .array(let items):
            for (index, item) in items.enumerated() {
                guard let role = item["role"]?.stringValue.flatMap(Role.init(rawValue:)) else {
                    throw StepFailure(
                        "'with.messages[\(index)].role' must be system, user or assistant", retryable: false)
                }
                guard let content = item["content"], content != .null else {
                    throw StepFailure("'with.messages[\(index)].content' is missing", retryable: false)
                }
                messages.append(Message(role: role, content: content.interpolated))
            }
        case let other:
            throw StepFailure("'with.messages' must be a list of {role, content}, not \(other.typeName)", retryable: false)
        }
        if let prompt = with["prompt"], prompt != .null { messages.append(Message(role: .user, content: prompt.interpolated)) }
        guard messages.contains(where: { $0.role == .user }) else {
            throw StepFailure("llm_call needs 'with.prompt' or a user turn in 'with.messages'", retryable: false)
        }
        let system = with["system"].flatMap { $0 == .null ? nil : $0.interpolated }
        return LLMConversation(system: system, messages: messages)
    }

    /// The conversation plus the model's answer and a request to fix it.
    func repairing(answer: String, problems: [String]) -> LLMConversation {
        var next = self
        next.messages.append(Message(role: .assistant, content: answer))
        let list = problems.prefix(10).map { "- \($0)" }.joined(separator: "\n")
        next.messages.append(
            Message(
                role: .user,
                content: "That answer does not match the required JSON schema:\n\(list)\n"
                    + "Reply again with only the corrected JSON value, no other text."))
        return next
    }
}

/// What came back from one call, in a provider-neutral shape.
struct LLMReply: Sendable {
    var text: String
    var model: String
    var finishReason: String?
    var usage: LLMUsageMeter.Usage
}

/// Everything one `llm_call` attempt needs besides the conversation.
struct LLMSettings: Sendable {
    var provider: String
    var baseURL: String
    var apiKey: String?
    var model: String
    var temperature: Double?
    var maxTokens: Int?
    var schema: JSONValue?
    var timeout: Double
}

/// One provider's HTTP API: how a call is written and how its answer is read.
protocol LLMProviderAPI: Sendable {
    /// The request for one call.
    func request(_ conversation: LLMConversation, settings: LLMSettings) -> HTTPStepRequest
    /// The reply from a 2xx response body; throws a `StepFailure` when the body is not the API's shape.
    func reply(_ body: JSONValue, settings: LLMSettings) throws -> LLMReply
}
