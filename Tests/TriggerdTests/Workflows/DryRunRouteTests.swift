import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Triggerd

/// `POST /v1/workflows/{name}/test` and the dry-run form of `/workflows/{name}`: `triggerctl test` semantics
/// inside the daemon, with nothing stored and nothing real run.
@Suite struct DryRunRouteTests {
    /// A workflow whose `touch` step would create `marker` if it ran.
    static func workflow(marker: String) -> String {
        """
        name: release
        triggers: [{ manual: {} }]
        inputs: { tag: { type: string, required: true } }
        steps:
          plan: { type: transform, with: { value: { tag: "{{ input.tag }}" } } }
          touch: { type: command, needs: [plan], with: { argv: [touch, "\(marker)"] } }
          pause: { type: delay, needs: [touch], with: { duration: 1h } }
          report: { type: transform, needs: [pause], with: { value: "{{ steps.touch.output.stdout }} for {{ steps.plan.output.tag }}" } }

        """
    }

    @Test func aDryRunAnswersFromMocksStoresNoRunAndRunsNoCommand() async throws {
        let daemon = try await WorkflowTestDaemon()
        defer { daemon.remove() }
        let marker = daemon.directory + "/touched"
        try await daemon.write("release.yaml", Self.workflow(marker: marker))
        try await daemon.application().test(.router) { client in
            let body = #"{"input": {"tag": "v1"}, "mocks": {"touch": {"exit_code": 0, "stdout": "mocked", "stderr": ""}}}"#
            try await client.execute(uri: "/v1/workflows/release/test", method: .post, body: ControlTest.body(body)) {
                response in
                #expect(response.status == .ok)
                let report = try ControlTest.json(response)
                #expect(report["run"]?["status"] == "completed")
                #expect(report["mocked"] == ["touch"])
                #expect(report["clock_advances"] == 1, "the one-hour delay is jumped over")
                let steps = report["run"]?["steps"]?.arrayValue ?? []
                #expect(steps.first { $0["id"] == "report" }?["output"] == "mocked for v1")
                #expect(steps.first { $0["id"] == "touch" }?["output"]?["stdout"] == "mocked")
            }
            // Unmocked, the command step fails without running.
            try await client.execute(
                uri: "/v1/workflows/release/test", method: .post, body: ControlTest.body(#"{"input": {"tag": "v1"}}"#)
            ) { response in
                #expect(response.status == .ok)
                let report = try ControlTest.json(response)
                #expect(report["run"]?["status"] == "failed")
                let touch = report["run"]?["steps"]?.arrayValue?.first { $0["id"] == "touch" }
                #expect(touch?["status"] == "failed")
                #expect(
                    touch?["error"]?.stringValue
                        == "dry run: step 'touch' (command) is not mocked, and a dry run never runs command steps; give it a mock output")
            }
            try await client.execute(
                uri: "/v1/workflows/release/test", method: .post, body: ControlTest.body(#"{"mocks": {"tuch": {}}}"#)
            ) { response in
                try ControlTest.expectError(
                    response, .badRequest, "invalid_input", "workflow 'release' has no step 'tuch' to mock (did you mean 'touch'?)")
            }
            try await client.execute(uri: "/v1/workflows/release/test", method: .post, body: ControlTest.body(#"{"input": {}}"#)) {
                response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/workflows/nope/test", method: .post, body: ControlTest.body("{}")) { response in
                try ControlTest.expectError(response, .notFound, "not_found", "no workflow named 'nope'")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: marker), "a dry run must not run the command")
        #expect(try await daemon.core.runs(RunQuery(limit: 10)).isEmpty, "a dry run stores no run")
    }

    @Test func theConsoleFormShowsEachStepAndRefusesBadJSON() async throws {
        let daemon = try await WorkflowTestDaemon()
        defer { daemon.remove() }
        let marker = daemon.directory + "/touched"
        try await daemon.write("release.yaml", Self.workflow(marker: marker))
        try await daemon.application().test(.router) { client in
            let page = try await client.execute(uri: "/workflows/release", method: .get, headers: ConsoleTest.pageHeaders)
            let html = String(buffer: page.body)
            #expect(html.contains("<form method=\"post\" action=\"/workflows/release/test#dry-run\""))
            // The mocks field starts with every step that would not run for real.
            #expect(html.contains("&quot;touch&quot;: {}"))
            #expect(html.contains("&quot;tag&quot;: &quot;&quot;"))
            let token = try #require(ConsoleTest.csrfToken(in: html))
            let mocks = #"{"touch": {"stdout": "from the form"}}"#
            let form = "csrf=\(token)&input=\(Self.encoded(#"{"tag": "v2"}"#))&mocks=\(Self.encoded(mocks))"
            try await client.execute(
                uri: "/workflows/release/test", method: .post, headers: ConsoleTest.formHeaders, body: ControlTest.body(form)
            ) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                let result = html.range(of: "id=\"dry-run-result\"").map { String(html[$0.lowerBound...].prefix(6000)) } ?? ""
                #expect(html.contains("<div class=\"dry-result\" id=\"dry-run-result\" data-status=\"completed\">"), "\(result)")
                #expect(html.contains("<tr data-step=\"touch\" data-status=\"completed\"><td><code>touch</code> <span class=\"badge\">mocked</span>"))
                #expect(html.contains("&quot;from the form for v2&quot;"))
                #expect(html.contains("mocked: touch · clock moved 1 time · not stored"))
                #expect(html.contains("<g class=\"node\" data-step-id=\"report\" data-status=\"completed\""))
                // The form keeps what was sent.
                #expect(html.contains("{&quot;tag&quot;: &quot;v2&quot;}</textarea>"))
            }
            let bad = "csrf=\(token)&input=\(Self.encoded("{tag: v2"))&mocks="
            try await client.execute(
                uri: "/workflows/release/test", method: .post, headers: ConsoleTest.formHeaders, body: ControlTest.body(bad)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("the input is not valid JSON at byte"))
            }
            let forged = "csrf=00&input=%7B%7D"
            try await client.execute(
                uri: "/workflows/release/test", method: .post, headers: ConsoleTest.formHeaders, body: ControlTest.body(forged)
            ) { response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(try await daemon.core.runs(RunQuery(limit: 10)).isEmpty)
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
