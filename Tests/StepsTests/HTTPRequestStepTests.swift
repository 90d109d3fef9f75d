import Engine
import Foundation
import Steps
import Testing

/// `http_request` through a real `CurlTransport` against Tests/Fixtures/http_server.py.
@Suite struct HTTPRequestStepTests {
    private static func withServer(_ body: (FixtureProcess, HTTPRequestStep, CurlTransport) async throws -> Void) async throws {
        try await FixtureProcess.with("http_server.py") { server in
            let transport = CurlTransport()
            try await body(server, HTTPRequestStep(transport: transport), transport)
        }
    }

    @Test func jsonAnswerIsParsedAndHeadersAreReturned() async throws {
        try await Self.withServer { server, step, _ in
            let output = try StepTesting.output(try await step.execute(StepTesting.request("http_request", ["url": .string(server.url("/json"))])))
            #expect(output["status"] == 200)
            #expect(output["body"] == ["ok": true, "items": [1, 2]])
            #expect(output["headers"]?["content-type"] == "application/json")
        }
    }

    @Test func queryHeadersAndJSONBodyAreSentButRequestHeadersAreNotEchoed() async throws {
        try await Self.withServer { server, step, _ in
            let request = StepTesting.request(
                "http_request",
                [
                    "url": .string(server.url("/echo?fixed=1")), "method": "put",
                    "query": ["q": "a b&c", "tags": ["x", "ü"], "skip": nil],
                    "headers": ["Authorization": "Bearer sk-very-secret-token", "X-Count": 3],
                    "body": ["name": "deploy", "n": 2],
                ])
            let output = try StepTesting.output(try await step.execute(request))
            let echoed = try #require(output["body"])
            #expect(echoed["method"] == "PUT")
            #expect(echoed["path"] == "/echo?fixed=1&q=a%20b%26c&tags=x&tags=%C3%BC")
            #expect(echoed["body"] == #"{"n":2,"name":"deploy"}"#)
            let headers = echoed["headers"]?.arrayValue ?? []
            #expect(headers.contains(["content-type", "application/json"]))
            #expect(headers.contains(["authorization", "Bearer sk-very-secret-token"]))
            #expect(headers.contains(["x-count", "3"]))
            // The step's own output carries the response headers only, never what was sent.
            #expect(!(output["headers"]?.jsonString().contains("sk-very-secret-token") ?? true))
        }
    }

    @Test func formAndRawBodies() async throws {
        try await Self.withServer { server, step, _ in
            let form = try StepTesting.output(
                try await step.execute(
                    StepTesting.request("http_request", ["url": .string(server.url("/echo")), "form": ["a": "1 2", "b": "x=y"]])))
            #expect(form["body"]?["method"] == "POST")
            #expect(form["body"]?["body"] == "a=1%202&b=x%3Dy")
            #expect(form["body"]?["headers"]?.arrayValue?.contains(["content-type", "application/x-www-form-urlencoded"]) == true)
            let raw = try StepTesting.output(
                try await step.execute(
                    StepTesting.request(
                        "http_request",
                        ["url": .string(server.url("/echo")), "body": "<ping/>", "headers": ["Content-Type": "application/xml"]])))
            #expect(raw["body"]?["body"] == "<ping/>")
            #expect(raw["body"]?["headers"]?.arrayValue?.contains(["content-type", "application/xml"]) == true)
            let both = await StepTesting.failure {
                try await step.execute(StepTesting.request("http_request", ["url": .string(server.url("/echo")), "body": "x", "form": ["a": 1]]))
            }
            #expect(both?.retryable == false)
        }
    }

    @Test func expectStatusAcceptsListsRangesAndClasses() async throws {
        try await Self.withServer { server, step, _ in
            for expect: JSONValue in [404, [200, 404], "400-499", "4xx"] {
                let output = try StepTesting.output(
                    try await step.execute(StepTesting.request("http_request", ["url": .string(server.url("/status/404")), "expect_status": expect])))
                #expect(output["status"] == 404)
                #expect(output["body"] == "status 404")
            }
            let bad = await StepTesting.failure {
                try await step.execute(StepTesting.request("http_request", ["url": .string(server.url("/json")), "expect_status": "2yy"]))
            }
            #expect(bad?.message.contains("expect_status") == true)
        }
    }

    @Test func clientErrorsAreFinalAndServerErrorsRetryable() async throws {
        try await Self.withServer { server, step, _ in
            let notFound = await StepTesting.failure {
                try await step.execute(StepTesting.request("http_request", ["url": .string(server.url("/status/404"))]))
            }
            #expect(notFound?.retryable == false)
            #expect(notFound?.message == "GET \(server.url("/status/404")) answered 404 (expected 200-299): status 404")
            #expect(notFound?.output?["status"] == 404)
            let unavailable = await StepTesting.failure {
                try await step.execute(StepTesting.request("http_request", ["url": .string(server.url("/status/500"))]))
            }
            #expect(unavailable?.retryable == true)
            #expect(unavailable?.retryAfter == nil)
        }
    }

    @Test func retryAfterInSecondsAndAsHTTPDate() async throws {
        try await Self.withServer { server, step, _ in
            let seconds = await StepTesting.failure {
                try await step.execute(StepTesting.request("http_request", ["url": .string(server.url("/status/429?retry_after=7"))]))
            }
            #expect(seconds?.retryable == true)
            #expect(seconds?.retryAfter == 7)
            // StepTesting.now is 2026-01-01T00:00:00Z; the server asks for 90 seconds later.
            let date = "Thu,%2001%20Jan%202026%2000:01:30%20GMT"
            let dated = await StepTesting.failure {
                try await step.execute(StepTesting.request("http_request", ["url": .string(server.url("/status/503?retry_after=\(date)"))]))
            }
            #expect(dated?.retryable == true)
            #expect(dated?.retryAfter == 90)
        }
    }

    @Test func responseOverMaxResponseFailsWithoutRetry() async throws {
        try await Self.withServer { server, step, _ in
            for path in ["/bytes?n=5000", "/bytes?n=200000&chunked=1"] {
                let failure = await StepTesting.failure {
                    try await step.execute(StepTesting.request("http_request", ["url": .string(server.url(path)), "max_response": "4KiB"]))
                }
                #expect(failure?.retryable == false)
                #expect(failure?.message.contains("larger than max_response (4096 bytes)") == true)
            }
            let fits = try StepTesting.output(
                try await step.execute(StepTesting.request("http_request", ["url": .string(server.url("/bytes?n=4096")), "max_response": 4096])))
            #expect(fits["body"]?.stringValue?.count == 4096)
        }
    }

    @Test func redirectsAreFollowedOnlyWhenAskedAndLoopsStop() async throws {
        try await Self.withServer { server, step, _ in
            let followed = try StepTesting.output(
                try await step.execute(
                    StepTesting.request("http_request", ["url": .string(server.url("/redirect?to=/json")), "follow_redirects": true])))
            #expect(followed["body"]?["ok"] == true)
            let notFollowed = await StepTesting.failure {
                try await step.execute(StepTesting.request("http_request", ["url": .string(server.url("/redirect?to=/json"))]))
            }
            #expect(notFollowed?.output?["status"] == 302)
            #expect(notFollowed?.output?["headers"]?["location"] == "/json")
            let loop = await StepTesting.failure {
                try await step.execute(StepTesting.request("http_request", ["url": .string(server.url("/loop")), "follow_redirects": true]))
            }
            #expect(loop?.retryable == false)
            #expect(loop?.message.contains("redirect loop") == true)
        }
    }

    @Test func slowAnswerTimesOutAsRetryable() async throws {
        try await Self.withServer { server, step, _ in
            let failure = await StepTesting.failure {
                try await step.execute(StepTesting.request("http_request", ["url": .string(server.url("/slow?seconds=10")), "timeout": "300ms"]))
            }
            #expect(failure?.retryable == true)
            #expect(failure?.message.contains("timed out") == true)
        }
    }

    @Test func cancelledSlowTransferFreesItsConnection() async throws {
        try await Self.withServer { server, step, transport in
            let task = Task {
                try await step.execute(StepTesting.request("http_request", ["url": .string(server.url("/slow?seconds=30"))]))
            }
            // The server counts the request once it is waiting; then the step's task is cancelled.
            let waiting = try await StepTesting.getJSON(server.url("/wait?key=slow_waiting&value=1"), via: transport)
            #expect(waiting["slow_waiting"] == 1)
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            // The server sees the client hang up: the connection is closed, not left to finish the answer.
            let stats = try await StepTesting.getJSON(server.url("/wait?key=aborted&value=1"), via: transport)
            #expect(stats["aborted"] == 1)
            #expect(stats["slow_waiting"] == 0)
            #expect(transport.activeTransfers == 0)
        }
    }

    @Test func malformedWithFieldsAreRefusedNamingTheField() async throws {
        let step = HTTPRequestStep(transport: CurlTransport())
        let cases: [([String: JSONValue], String)] = [
            (["url": "ftp://example.org/file"], "only http:// and https://"),
            (["url": "http://127.0.0.1:9/", "timeout": "soon"], "'with.timeout'"),
            (["url": "http://127.0.0.1:9/", "max_response": "lots"], "'with.max_response'"),
            (["url": "http://127.0.0.1:9/", "follow_redirects": "yes"], "'with.follow_redirects'"),
            (["url": "http://127.0.0.1:9/", "headers": ["X-A": "a\r\nInjected: 1"]], "line break"),
            (["url": "http://127.0.0.1:9/", "query": "a=1"], "'with.query'"),
        ]
        for (with, expected) in cases {
            let failure = await StepTesting.failure { try await step.execute(StepTesting.request("http_request", with)) }
            #expect(failure?.retryable == false)
            #expect(failure?.message.contains(expected) == true, "\(failure?.message ?? "")")
        }
    }
}
