public import Engine
import Foundation
import Logging

/// `llm_call`: one answer from a language model over HTTP (SPEC §6).
///
/// `provider` is `openai` (Chat Completions; any OpenAI-compatible server through `base_url`, the default) or
/// `anthropic` (Messages). `model`, `base_url` and `api_key` default to the daemon configuration's
/// `llm.<provider>` block, the key last to the secret `OPENAI_API_KEY` or `ANTHROPIC_API_KEY`. The turns
/// come from `system`, `messages` (`[{role, content}]`) and `prompt` (a final user turn).
///
/// With `json_schema`, structured output is requested (OpenAI `response_format`; for Anthropic the schema
/// is stated in the system text), the answer is parsed and validated, and a non-conforming answer gets
/// one repair request within the same attempt before the attempt fails.
///
/// Output: `text`, `json` (the validated value with a schema, else null), `usage` (`input_tokens`,
/// `output_tokens`, over every call of the attempt), `run_usage` (the run's sum so far), `model`,
/// `finish_reason`. A 429 or 5xx is retried after `Retry-After`; other 4xx answers fail the step.
public struct LLMCallStep: StepExecutor {
    public let kind = "llm_call"
    /// The default total time for one model call.
    public static let defaultTimeout = 120.0

    let transport: any HTTPTransport
    let providers: [String: LLMProviderConfiguration]
    let secrets: [String: String]
    let usage: LLMUsageMeter

    /// - Parameters:
    ///   - providers: the configuration's `llm:` blocks by provider name.
    ///   - secrets: for templates in those blocks and the default key secrets.
    ///   - usage: where token counts are added up.
    public init(
        transport: any HTTPTransport, providers: [String: LLMProviderConfiguration], secrets: [String: String],
        usage: LLMUsageMeter
    ) {
        self.transport = transport
        self.providers = providers
        self.secrets = secrets
        self.usage = usage
    }

    public func execute(_ request: StepRequest) async throws -> StepOutcome {
        let settings = try self.settings(request.with, secrets: request.secrets(fallback: self.secrets))
        let conversation = try LLMConversation.read(request.with)
        let validator = try settings.schema.map { try JSONSchemaValidator(schema: $0) }
        let api: any LLMProviderAPI = settings.provider == "anthropic" ? AnthropicMessagesAPI() : OpenAIChatAPI()
        var logger = request.logger
        logger[metadataKey: LogKey.stepKind] = "\(self.kind)"
        logger[metadataKey: LogKey.llmProvider] = "\(settings.provider)"
        logger[metadataKey: LogKey.llmModel] = "\(settings.model)"

        var spent = LLMUsageMeter.Usage()
        // Usage is counted even when the attempt fails afterwards: the tokens were spent.
        defer { self.usage.record(runID: request.runID, provider: settings.provider, model: settings.model, usage: spent) }
        var reply = try await self.call(api, conversation, settings, now: request.now)
        spent = spent + reply.usage
        var json: JSONValue = .null
        if let validator {
            var problems = Self.problems(reply.text, validator)
            if !problems.isEmpty {
                logger.debug("LLM answer does not match the schema; asking for a repair")
                reply = try await self.call(api, conversation.repairing(answer: reply.text, problems: problems), settings, now: request.now)
                spent = spent + reply.usage
                problems = Self.problems(reply.text, validator)
            }
            guard problems.isEmpty, let value = LLMAnswer.json(reply.text) else {
                throw StepFailure(
                    "the answer of \(settings.model) does not match 'with.json_schema' after one repair request: "
                        + problems.prefix(5).joined(separator: "; "),
                    output: self.output(reply, json: .null, spent: spent, request: request))
            }
            json = value
        }
        logger.debug(
            "LLM call answered",
            metadata: [LogKey.llmTokensIn: "\(spent.inputTokens)", LogKey.llmTokensOut: "\(spent.outputTokens)"])
        return .completed(self.output(reply, json: json, spent: spent, request: request))
    }

    /// One HTTP call to the provider, its failures shaped like `http_request`'s.
    private func call(
        _ api: any LLMProviderAPI, _ conversation: LLMConversation, _ settings: LLMSettings, now: Date
    ) async throws -> LLMReply {
        let httpRequest = api.request(conversation, settings: settings)
        let label = "llm_call (\(settings.provider)) \(httpRequest.label)"
        let response: HTTPStepResponse
        do {
            response = try await self.transport.send(httpRequest)
        } catch let error as TransportError {
            throw HTTPOutcome.failure(TransportError(error.code, "llm_call (\(settings.provider)) \(error.message)"))
        }
        guard (200...299).contains(response.status) else {
            throw HTTPOutcome.failure(response, label: label, expected: "2xx", now: now, output: nil)
        }
        guard let body = try? JSONValue.parse(bytes: response.body) else {
            throw StepFailure("\(label) answered \(response.status) with a body that is not JSON: \(HTTPOutcome.snippet(response))")
        }
        return try api.reply(body, settings: settings)
    }

    private static func problems(_ text: String, _ validator: JSONSchemaValidator) -> [String] {
        guard let value = LLMAnswer.json(text) else { return ["the answer is not JSON"] }
        return validator.problems(value)
    }

    private func output(_ reply: LLMReply, json: JSONValue, spent: LLMUsageMeter.Usage, request: StepRequest) -> JSONValue {
        // The run's sum as it will be once this attempt's tokens are recorded (by the deferred record).
        let run = self.usage.usage(runID: request.runID) + spent
        return [
            "text": .string(reply.text),
            "json": json,
            "model": .string(reply.model),
            "finish_reason": reply.finishReason.map { .string($0) } ?? .null,
            "usage": Self.json(spent),
            "run_usage": Self.json(run),
        ]
    }

    private static func json(_ usage: LLMUsageMeter.Usage) -> JSONValue {
        [
            "input_tokens": .number(Double(usage.inputTokens)), "output_tokens": .number(Double(usage.outputTokens)),
            "calls": .number(Double(usage.calls)),
        ]
    }
}
