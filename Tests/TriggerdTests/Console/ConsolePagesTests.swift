import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Triggerd

@Suite("Console: pages on the control socket")
struct ConsolePagesTests {
    @Test func runsPageListsRunsWithStatusAndSecurityHeaders() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/runs", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let csp = try #require(
                    response.headers.first { $0.name.canonicalName == "content-security-policy" }?.value
                )
                #expect(csp.contains("default-src 'self'"))
                #expect(csp.contains("script-src 'self'"))
                let html = String(buffer: response.body)
                #expect(html.contains(#"<table id="runs">"#))
                #expect(html.contains(#"<tr data-run-id="r1" data-status="waiting">"#))
                #expect(html.contains("triggerctl runs --limit 50"))
                #expect(html.contains(#"<script src="/console/console.js" defer></script>"#))
                // No inline script and no inline style anywhere: the CSP would block them.
                #expect(!html.contains("<script>"))
                #expect(!html.contains("style="))
                #expect(!html.contains("onclick"))
            }
        }
    }

    @Test func runsFiltersReachThePlaneAndShowInTheCommand() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/runs?workflow=deploy&status=failed&trigger=cron&before=r1&limit=20",
                method: .get
            ) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("triggerctl runs --workflow deploy --status failed --trigger cron --before r1 --limit 20"))
                #expect(html.contains(#"<option selected value="cron">"#))
            }
        }
        let query = try #require(await plane.queries.last)
        #expect(query == RunQuery(workflow: "deploy", status: .failed, limit: 20, before: "r1", triggerType: "cron"))
    }

    @Test(arguments: [
        ("/runs?status=done", 400, "unknown run status &#39;done&#39;"),
        ("/runs?trigger=ftp", 400, "unknown trigger kind &#39;ftp&#39;"),
        ("/runs?limit=0", 400, "limit must be a whole number from 1 to 1000"),
        ("/runs?before=nope", 400, "before must be a run id or an RFC 3339 time"),
        ("/runs/nope", 404, "no run with id &#39;nope&#39;"),
        ("/nowhere", 404, "There is no page at /nowhere."),
    ])
    func badRequestsGetAnErrorPage(uri: String, status: Int, message: String) async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get, headers: ConsoleTest.pageHeaders) { response in
                #expect(response.status.code == status)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let html = String(buffer: response.body)
                #expect(html.contains(message), "\(html)")
                #expect(html.contains(#"role="alert""#))
            }
        }
    }

    @Test func apiErrorsStayJSON() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/runs/nope", method: .get, headers: ConsoleTest.pageHeaders) { response in
                try ControlTest.expectError(response, .notFound, "not_found", "no run with id 'nope'")
            }
            // A script that does not ask for HTML gets JSON errors from the console's paths too.
            try await client.execute(uri: "/runs/nope", method: .get) { response in
                try ControlTest.expectError(response, .notFound, "not_found", "no run with id 'nope'")
            }
        }
    }

    @Test func runPageDrawsTheGraphAndTheSteps() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/runs/r1", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains(#"<svg id="graph""#))
                #expect(html.contains(#"data-step-id="build" data-status="completed""#))
                #expect(html.contains(#"data-step-id="gate" data-status="waiting""#))
                #expect(html.contains(#"<tr id="step-build" data-step="build" data-status="completed">"#))
                #expect(html.contains("59.5s"), "the build step's duration")
                #expect(html.contains(#"<form method="post" action="/runs/r1/cancel""#))
                #expect(html.contains(#"data-approve="r1/gate""#))
                #expect(html.contains("triggerctl show r1"))
                #expect(html.contains(#"data-stream="/console/stream?run=r1&amp;after=0""#))
                #expect(html.contains("by <strong>alice</strong>"))
            }
        }
    }

    @Test func approvalsPageHasTheDecisionFormWithQuorum() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/approvals", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains(#"action="/runs/r1/steps/gate/decide" data-approve="r1/gate""#))
                #expect(html.contains(#"name="comment""#))
                #expect(html.contains(#"name="decision" value="approve""#))
                #expect(html.contains(#"name="decision" value="reject""#))
                #expect(html.contains("1 of 2 approvals (alice)"))
                #expect(html.contains("Release to prod?"))
                #expect(ConsoleTest.csrfToken(in: html) != nil)
            }
        }
    }

    @Test func overviewShowsCountsAndLatestRuns() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains(#"href="/runs?status=failed"><span class="count">3</span>"#))
                #expect(html.contains("broken.yaml:3:7: error: unknown key &#39;stpes&#39;"))
                #expect(html.contains(#"<tr data-run-id="r1""#))
                #expect(html.contains("triggerctl status"))
            }
        }
    }

    @Test func assetsAreServedAndSmall() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/console/console.css", method: .get) { response in
                #expect(response.headers[.contentType] == "text/css; charset=utf-8")
                #expect(String(buffer: response.body).contains("prefers-color-scheme:dark"))
            }
            try await client.execute(uri: "/console/console.js", method: .get) { response in
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
            }
        }
        #expect(ConsoleStylesheet.text.utf8.count + ConsoleScript.text.utf8.count <= 40 * 1024)
    }

    @Test func pagesEscapeWhatTheyShow() {
        #expect(HTML.escape(#"<script>"x"&'y'</script>"#) == "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;")
        #expect(HTML.link("/runs", [("workflow", "a b&c"), ("status", nil)]) == "/runs?workflow=a%20b%26c")
    }
}

@Suite("Console: live stream")
struct ConsoleStreamTests {
    @Test func aReconnectResumesFromLastEventIDNotFromTheURL() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            // First connection: from the page's position (after=1), every later event of the run once.
            try await client.execute(uri: "/console/stream?run=r1&after=1", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/event-stream")
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("retry: 2000\n\n"))
                #expect(text.contains("id: 2\nevent: step.started\n"))
                #expect(text.contains("id: 4\nevent: step.completed\n"))
                #expect(!text.contains("id: 1\n"))
            }
            // The browser reconnects to the same URL with Last-Event-ID: 2; the header wins.
            try await client.execute(
                uri: "/console/stream?run=r1&after=1",
                method: .get,
                headers: [.init("Last-Event-ID")!: "2"]
            ) { response in
                let text = String(buffer: response.body)
                #expect(!text.contains("id: 2\n"))
                #expect(text.contains("id: 4\n"))
            }
            try await client.execute(uri: "/console/stream?after=x", method: .get, headers: ConsoleTest.pageHeaders) {
                response in
                #expect(response.status == .badRequest)
            }
        }
        #expect(
            await plane.streamRequests == [
                .init(after: 1, runID: "r1"), .init(after: 2, runID: "r1"),
            ]
        )
    }
}
