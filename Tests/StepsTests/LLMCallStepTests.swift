import Engine
import Foundation
import Steps
import Testing

/// `llm_call` against Tests/Fixtures/llm_server.py, which checks each request's shape like the real APIs.
@Suite struct LLMCallStepTests {
    struct Fake {
        let server: FixtureProcess
        let transport: CurlTransport
        let meter: LLMUsageMeter

        func step(secrets: [String: String] = [:], config: LLMProviderConfiguration? = nil, provider: String = "openai") -> LLMCallStep {
            let base = LLMProviderConfiguration(baseURL: self.server.url("/v1"), model: "fake-model")
            return LLMCallStep(
                transport: self.transport, providers: [provider: config ?? base], secrets: secrets, usage: self.meter)
        }

        func script(_ replies: JSONValue) async throws {
            try await StepTesting.postJSON(self.server.url("/_script"), replies, via: self.transport)
        }

        /// Every call the fake received.
        func requests() async throws -> [JSONValue] {
            try await StepTesting.getJSON(self.server.url("/_requests"), via: self.transport).arrayValue ?? []
        }

        /// The request-shape problems the fake found; every test ends expecting none.
        func violations() async throws -> JSONValue {
            try await StepTesting.getJSON(self.server.url("/_violations"), via: self.transport)
        }
    }

    private static func withFake(_ body: (Fake) async throws -> Void) async throws {
        try await FixtureProcess.with("llm_server.py") { server in
            let fake = Fake(server: server, transport: CurlTransport(), meter: LLMUsageMeter())
            try await body(fake)
            #expect(try await fake.violations() == [])
        }
    }

    @Test func openAIChatCompletionWithKeyFromConfigurationTemplate() async throws {
        try await Self.withFake { fake in
            let config = LLMProviderConfiguration(
                baseURL: fake.server.url("/v1/"), apiKey: "{{ secrets.LOCAL_LLM_KEY }}", model: "fake-model")
            let step = fake.step(secrets: ["LOCAL_LLM_KEY": "sk-local-123"], config: config)
            try await fake.script([["content": "Deploy went fine.", "usage": [12, 5]]])
            let output = try StepTesting.output(
                try await step.execute(
                    StepTesting.request(
                        "llm_call", ["system": "Be brief.", "prompt": "Summarise the deploy", "temperature": 0.2, "max_tokens": 50])))
            #expect(output["text"] == "Deploy went fine.")
            #expect(output["json"] == .null)
            #expect(output["model"] == "fake-model")
            #expect(output["finish_reason"] == "stop")
            #expect(output["usage"] == ["input_tokens": 12, "output_tokens": 5, "calls": 1])
            let sent = try #require(try await fake.requests().first)
            #expect(sent["path"] == "/v1/chat/completions")
            #expect(sent["headers"]?["authorization"] == "Bearer sk-local-123")
            #expect(
                sent["body"] == [
                    "model": "fake-model", "temperature": 0.2, "max_tokens": 50,
                    "messages": [["role": "system", "content": "Be brief."], ["role": "user", "content": "Summarise the deploy"]],
                ])
        }
    }

    /// After a reload re-read the secrets, the engine's `secrets` root holds the new values: the configuration's
    /// `{{ secrets.X }}` resolves from it, not from the copy the step was built with at start-up.
    @Test func configurationSecretsComeFromTheRequestAfterARotation() async throws {
        try await Self.withFake { fake in
            let config = LLMProviderConfiguration(
                baseURL: fake.server.url("/v1"), apiKey: "{{ secrets.LOCAL_LLM_KEY }}", model: "fake-model")
            let step = fake.step(secrets: ["LOCAL_LLM_KEY": "sk-at-start"], config: config)
            try await fake.script([["content": "ok", "usage": [1, 1]]])
            var request = StepTesting.request("llm_call", ["prompt": "hi"])
            request.scope.roots["secrets"] = ["LOCAL_LLM_KEY": "sk-rotated"]
            _ = try StepTesting.output(try await step.execute(request))
            let sent = try #require(try await fake.requests().first)
            #expect(sent["headers"]?["authorization"] == "Bearer sk-rotated")
        }
    }

    @Test func anthropicMessagesWithSystemAndDefaultMaxTokens() async throws {
        try await Self.withFake { fake in
            let step = fake.step(secrets: ["ANTHROPIC_API_KEY": "ak-test-456"], provider: "anthropic")
            try await fake.script([["content": "Hello there", "finish": "end_turn", "usage": [20, 3]]])
            let output = try StepTesting.output(
                try await step.execute(
                    StepTesting.request(
                        "llm_call",
                        [
                            "provider": "anthropic", "system": "You are terse.",
                            "messages": [["role": "user", "content": "Hi"], ["role": "assistant", "content": "Hello"]],
                            "prompt": "Say hello again",
                        ])))
            #expect(output["text"] == "Hello there")
            #expect(output["finish_reason"] == "end_turn")
            #expect(output["usage"]?["input_tokens"] == 20)
            let sent = try #require(try await fake.requests().first)
            #expect(sent["path"] == "/v1/messages")
            #expect(sent["headers"]?["x-api-key"] == "ak-test-456")
            #expect(sent["headers"]?["anthropic-version"] == "2023-06-01")
            #expect(sent["body"]?["system"] == "You are terse.")
            #expect(sent["body"]?["max_tokens"] == 1024)
            #expect(sent["body"]?["messages"]?.arrayValue?.count == 3)
        }
    }

    static let schema: JSONValue = [
        "type": "object", "required": ["severity", "tags"], "additionalProperties": false,
        "properties": [
            "severity": ["type": "string", "enum": ["low", "high"]],
            "tags": ["type": "array", "items": ["type": "string"]],
        ],
    ]

    @Test(arguments: ["openai", "anthropic"])
    func schemaAnswerIsValidated(provider: String) async throws {
        try await Self.withFake { fake in
            let step = fake.step(secrets: ["ANTHROPIC_API_KEY": "k-1"], provider: provider)
            try await fake.script([["content": "```json\n{\"severity\": \"high\", \"tags\": [\"db\"]}\n```"]])
            let output = try StepTesting.output(
                try await step.execute(
                    StepTesting.request("llm_call", ["provider": .string(provider), "prompt": "Classify", "json_schema": Self.schema])))
            #expect(output["json"] == ["severity": "high", "tags": ["db"]])
            let sent = try #require(try await fake.requests().first)
            if provider == "openai" {
                #expect(sent["body"]?["response_format"] == ["type": "json_schema", "json_schema": ["name": "result", "schema": Self.schema]])
            } else {
                #expect(sent["body"]?["system"]?.stringValue?.contains(Self.schema.jsonString()) == true)
            }
        }
    }

    @Test func nonConformingAnswerGetsOneRepairRequest() async throws {
        try await Self.withFake { fake in
            let step = fake.step()
            try await fake.script([
                ["content": #"{"severity": "urgent", "tags": "db", "extra": 1}"#, "usage": [10, 4]],
                ["content": #"{"severity": "low", "tags": []}"#, "usage": [30, 6]],
            ])
            let output = try StepTesting.output(
                try await step.execute(StepTesting.request("llm_call", ["prompt": "Classify", "json_schema": Self.schema])))
            #expect(output["json"] == ["severity": "low", "tags": []])
            #expect(output["usage"] == ["input_tokens": 40, "output_tokens": 10, "calls": 2])
            let repair = try #require(try await fake.requests().last?["body"]?["messages"]?.arrayValue)
            #expect(repair.count == 3)
            #expect(repair[1]["role"] == "assistant")
            let feedback = repair[2]["content"]?.stringValue ?? ""
            #expect(feedback.contains("$.severity: \"urgent\" is not one of \"low\", \"high\""))
            #expect(feedback.contains("$.tags: expected array, got string"))
            #expect(feedback.contains("$: property 'extra' is not allowed"))
        }
    }

    @Test func secondBadAnswerFailsTheAttemptWithTheTextKept() async throws {
        try await Self.withFake { fake in
            try await fake.script([["content": "not json at all"], ["content": "still not json"]])
            let failure = await StepTesting.failure {
                try await fake.step().execute(StepTesting.request("llm_call", ["prompt": "Classify", "json_schema": Self.schema]))
            }
            #expect(failure?.message.contains("does not match 'with.json_schema' after one repair request") == true)
            #expect(failure?.output?["text"] == "still not json")
            #expect(try await fake.requests().count == 2)
        }
    }

    @Test func rateLimitIsRetryableAfterRetryAfterAndBadRequestIsFinal() async throws {
        try await Self.withFake { fake in
            try await fake.script([
                ["status": 429, "headers": ["Retry-After": "12"], "body": ["error": ["message": "slow down"]]],
                ["status": 529, "body": ["error": ["message": "overloaded"]]],
                ["status": 400, "body": ["error": ["message": "context too long"]]],
            ])
            let request = StepTesting.request("llm_call", ["prompt": "Hi"])
            let limited = await StepTesting.failure { try await fake.step().execute(request) }
            #expect(limited?.retryable == true)
            #expect(limited?.retryAfter == 12)
            let overloaded = await StepTesting.failure { try await fake.step().execute(request) }
            #expect(overloaded?.retryable == true)
            let bad = await StepTesting.failure { try await fake.step().execute(request) }
            #expect(bad?.retryable == false)
            #expect(bad?.message.contains("context too long") == true)
        }
    }

    @Test func usageIsSummedPerRunAndCountedForMetrics() async throws {
        try await Self.withFake { fake in
            let step = fake.step()
            try await fake.script([["content": "a", "usage": [10, 1]], ["content": "b", "usage": [20, 2]], ["content": "c", "usage": [5, 5]]])
            _ = try await step.execute(StepTesting.request("llm_call", ["prompt": "one"], step: "first", run: "run-a"))
            let second = try StepTesting.output(
                try await step.execute(StepTesting.request("llm_call", ["prompt": "two"], step: "second", run: "run-a")))
            #expect(second["run_usage"] == ["input_tokens": 30, "output_tokens": 3, "calls": 2])
            let other = try StepTesting.output(try await step.execute(StepTesting.request("llm_call", ["prompt": "x"], run: "run-b")))
            #expect(other["run_usage"] == ["input_tokens": 5, "output_tokens": 5, "calls": 1])
            #expect(fake.meter.total == LLMUsageMeter.Usage(inputTokens: 35, outputTokens: 8, calls: 3))
            #expect(fake.meter.series.map(\.model) == ["fake-model"])
        }
    }

    @Test func missingModelOrKeyIsExplained() async throws {
        let meter = LLMUsageMeter()
        let step = LLMCallStep(transport: CurlTransport(), providers: [:], secrets: [:], usage: meter)
        let noKey = await StepTesting.failure { try await step.execute(StepTesting.request("llm_call", ["prompt": "hi", "model": "gpt"])) }
        #expect(noKey?.message.contains("OPENAI_API_KEY") == true)
        #expect(noKey?.retryable == false)
        let noModel = await StepTesting.failure {
            try await step.execute(StepTesting.request("llm_call", ["prompt": "hi", "base_url": "http://127.0.0.1:9/v1"]))
        }
        #expect(noModel?.message.contains("has no model") == true)
        let badProvider = await StepTesting.failure {
            try await step.execute(StepTesting.request("llm_call", ["prompt": "hi", "provider": "mistral"]))
        }
        #expect(badProvider?.message == "'with.provider' must be openai or anthropic, not 'mistral'")
    }
}
