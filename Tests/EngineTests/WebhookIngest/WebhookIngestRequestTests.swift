import Foundation
import Testing

@testable import Engine

/// Routing, bodies and the trigger roots of SPEC §4, decided by the ingest without HTTP.
@Suite struct WebhookIngestRequestTests {
    static let echo = """
        triggers:
          - webhook: { path: /hooks/echo }
        steps:
          out:
            type: transform
            with: { value: "{{ trigger }}" }
        """

    static let readsBody = """
        triggers:
          - webhook: { path: /hooks/reads }
        steps:
          out:
            type: transform
            with: { value: "{{ trigger.body.number }}" }
        """

    @Test func unknownPathIs404AndCountsAsNotFound() async throws {
        let h = try await IngestHarness(["echo": Self.echo])
        let answer = await h.post("/hooks/nope")
        #expect(answer.status == 404)
        #expect(answer.body["error"]?["code"] == "not_found")
        #expect(h.counted("", "not_found") == 1)
        #expect(try await h.runCount() == 0)
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        let h = try await IngestHarness(["echo": Self.echo])
        let answer = await h.post("/hooks/echo", method: "PUT")
        #expect(answer.status == 405)
        #expect(answer.headers["Allow"] == "POST")
        #expect(h.ingest.preflight(method: "PUT", path: "/hooks/echo") == .answer(answer))
        #expect(h.ingest.preflight(method: "POST", path: "/hooks/echo") == .read(limit: 1 << 20))
    }

    @Test func jsonBodyBecomesTheTriggerRoots() async throws {
        let h = try await IngestHarness(["echo": Self.echo])
        let answer = await h.post(
            "/hooks/echo", #"{"number": 42, "tags": ["a"]}"#,
            headers: ["content-type": "application/json; charset=utf-8", "x-custom": "yes"], query: ["ref": "main"])
        #expect(answer.status == 202)
        let deliveryID = try #require(answer.body["delivery_id"]?.stringValue)
        let run = try await h.finishedRun(answer)
        #expect(run.status == .completed)
        let trigger = try #require(run.steps.first?.output)
        #expect(trigger["type"] == "webhook")
        #expect(trigger["body"] == ["number": 42, "tags": ["a"]])
        #expect(trigger["raw_body"] == #"{"number": 42, "tags": ["a"]}"#)
        #expect(trigger["headers"]?["x-custom"] == "yes")
        #expect(trigger["query"] == ["ref": "main"])
        #expect(trigger["path"] == "/hooks/echo")
        #expect(trigger["delivery_id"] == .string(deliveryID))
        #expect(run.trigger["delivery_id"] == .string(deliveryID))
    }

    @Test func formBodyIsAnObjectOfFields() async throws {
        let h = try await IngestHarness(["echo": Self.echo])
        let answer = await h.post(
            "/hooks/echo", "command=%2Fdeploy&text=web+api&tag=a&tag=b&empty=",
            headers: ["content-type": "application/x-www-form-urlencoded"])
        let trigger = try #require(try await h.finishedRun(answer).steps.first?.output)
        #expect(trigger["body"] == ["command": "/deploy", "text": "web api", "tag": ["a", "b"], "empty": ""])
    }

    @Test func otherContentTypesAreText() async throws {
        let h = try await IngestHarness(["echo": Self.echo])
        let answer = await h.post("/hooks/echo", "plain words {", headers: ["content-type": "text/plain"])
        let trigger = try #require(try await h.finishedRun(answer).steps.first?.output)
        #expect(trigger["body"] == "plain words {")
        #expect(trigger["raw_body"] == "plain words {")
    }

    @Test func brokenJSONIs400WhenTheWorkflowReadsTheBody() async throws {
        let h = try await IngestHarness(["reads": Self.readsBody, "echo": Self.echo])
        let refused = await h.post("/hooks/reads", #"{"number": 4"#)
        #expect(refused.status == 400)
        #expect(refused.body["error"]?["message"]?.stringValue?.contains("not valid JSON") == true)
        #expect(try await h.runCount() == 0)
        #expect(try await h.deliveries().isEmpty)
        // A workflow that never reads trigger.body gets the text instead.
        let text = await h.post("/hooks/echo", #"{"number": 4"#)
        #expect(text.status == 202)
        #expect(try await h.finishedRun(text).steps.first?.output?["body"] == #"{"number": 4"#)
        // Not JSON by content type: no 400 even for a body reader.
        #expect(await h.post("/hooks/reads", "number=4", headers: ["content-type": "text/plain"]).status == 202)
    }

    @Test func bodyOverMaxBodyIs413() async throws {
        let small = """
            triggers:
              - webhook: { path: /hooks/small, max_body: 16 }
            steps:
              a: { type: transform, with: { value: 1 } }
            """
        let h = try await IngestHarness(["small": small])
        #expect(h.ingest.preflight(method: "POST", path: "/hooks/small") == .read(limit: 16))
        #expect(await h.post("/hooks/small", String(repeating: "x", count: 17)).status == 413)
        #expect(await h.post("/hooks/small", String(repeating: "x", count: 16)).status == 202)
        #expect(h.ingest.tooLarge(path: "/hooks/small").status == 413)
        #expect(h.counted("small", "too_large") == 2)
    }

    @Test func reloadChangesThePathsWithoutRestart() async throws {
        let h = try await IngestHarness(["echo": Self.echo])
        #expect(h.ingest.paths == ["/hooks/echo"])
        let moved = Self.echo.replacingOccurrences(of: "/hooks/echo", with: "/hooks/moved")
        _ = try await h.base.load(moved, name: "echo")
        h.ingest.update(workflows: await h.engine.workflowsForTests)
        #expect(await h.post("/hooks/echo").status == 404)
        #expect(await h.post("/hooks/moved").status == 202)
    }

    @Test func shuttingDownAnswers503AndStoresNothing() async throws {
        let h = try await IngestHarness(["echo": Self.echo])
        h.ingest.beginShutdown()
        let answer = await h.post("/hooks/echo")
        #expect(answer.status == 503)
        #expect(answer.headers["Retry-After"] != nil)
        #expect(try await h.runCount() == 0)
    }

    @Test func queryParsingDecodesPlusAndPercent() {
        #expect(WebhookRequest.parseQuery("a=1&b=x+y&c=%2F&a=2&flag") == ["a": "1", "b": "x y", "c": "/", "flag": ""])
        #expect(WebhookRequest.parseQuery(nil) == [:])
    }
}
