import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Triggerd

/// `GET /v1/workflows/{name}/versions[/{version}]` and the versions section and diff of `/workflows/{name}`.
@Suite struct WorkflowVersionsRouteTests {
    static let first = """
        name: deploy
        steps:
          build: { type: transform, with: { value: 1 } }
          ship: { type: transform, needs: [build], with: { value: 2 } }

        """
    static let second = """
        name: deploy
        steps:
          build: { type: transform, with: { value: 1 } }
          test: { type: transform, needs: [build], with: { value: 3 } }
          ship: { type: transform, needs: [test], with: { value: 2 } }

        """

    /// Two versions of `deploy`, stored by two reloads; returns them newest first.
    static func twoVersions(_ daemon: WorkflowTestDaemon) async throws -> [WorkflowVersion] {
        try await daemon.write("deploy.yaml", Self.first)
        try await daemon.write("deploy.yaml", Self.second)
        let versions = try #require(try await daemon.core.workflowVersions(name: "deploy"))
        try #require(versions.count == 2)
        return versions
    }

    @Test func listsVersionsNewestFirstAndServesOneWithItsSource() async throws {
        let daemon = try await WorkflowTestDaemon()
        defer { daemon.remove() }
        let versions = try await Self.twoVersions(daemon)
        let (old, new) = (versions[1].version, versions[0].version)
        try await daemon.application().test(.router) { client in
            try await client.execute(uri: "/v1/workflows/deploy/versions", method: .get) { response in
                #expect(response.status == .ok)
                let rows = try #require(try ControlTest.json(response).arrayValue)
                #expect(rows.map { $0["version"]?.stringValue } == [new, old])
                #expect(rows.map { $0["current"] } == [true, false])
                #expect(rows.allSatisfy { $0["source"] == nil && $0["file"]?.stringValue?.hasSuffix("deploy.yaml") == true })
            }
            try await client.execute(uri: "/v1/workflows/deploy/versions/\(old.prefix(12))", method: .get) { response in
                #expect(response.status == .ok)
                let version = try ControlTest.json(response)
                #expect(version["version"]?.stringValue == old)
                #expect(version["source"]?.stringValue == Self.first)
                #expect(version["current"] == false)
            }
            try await client.execute(uri: "/v1/workflows/nope/versions", method: .get) { response in
                try ControlTest.expectError(response, .notFound, "not_found", "no workflow named 'nope'")
            }
            try await client.execute(uri: "/v1/workflows/deploy/versions/ffff", method: .get) { response in
                try ControlTest.expectError(
                    response, .notFound, "not_found", "workflow 'deploy' has no stored version 'ffff'")
            }
            try await client.execute(uri: "/v1/workflows/nope/versions/ffff", method: .get) { response in
                try ControlTest.expectError(response, .notFound, "not_found", "no workflow named 'nope'")
            }
        }
    }

    @Test func theWorkflowPageListsVersionsAndDiffsTwoAsAPermalink() async throws {
        let daemon = try await WorkflowTestDaemon()
        defer { daemon.remove() }
        let versions = try await Self.twoVersions(daemon)
        let (old, new) = (versions[1].version, versions[0].version)
        try await daemon.application().test(.router) { client in
            try await client.execute(uri: "/workflows/deploy", method: .get, headers: ConsoleTest.pageHeaders) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<tr data-version=\"\(new)\" data-current>"))
                #expect(html.contains("<tr data-version=\"\(old)\">"))
                #expect(html.range(of: new)!.lowerBound < html.range(of: old)!.lowerBound, "newest first")
                #expect(html.contains("<form method=\"get\" action=\"/workflows/deploy#diff\""))
                #expect(html.contains("triggerctl workflows versions deploy"))
                #expect(!html.contains("id=\"diff-table\""))
            }
            let uri = "/workflows/deploy?from=\(old)&to=\(new)"
            try await client.execute(uri: uri, method: .get, headers: ConsoleTest.pageHeaders) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("(1 removed, 2 added)"))
                #expect(html.contains("<td class=\"mark\">-</td><td class=\"text\">  ship: { type: transform, needs: [build], with: { value: 2 } }</td>"))
                #expect(html.contains("<td class=\"mark\">+</td><td class=\"text\">  test: { type: transform, needs: [build], with: { value: 3 } }</td>"))
                #expect(html.contains("<tr class=\"d-hunk\"><td colspan=\"4\">@@ -1,4 +1,5 @@</td></tr>"))
                #expect(html.contains("<option value=\"\(old)\" selected>"))
                #expect(html.contains("<code>triggerctl workflows diff deploy \(old.prefix(12)) \(new.prefix(12))</code></p></footer>"))
            }
            try await client.execute(uri: "/workflows/deploy?from=\(old)&to=beef", method: .get, headers: ConsoleTest.pageHeaders) {
                response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("workflow &#39;deploy&#39; has no stored version &#39;beef&#39;"))
            }
            try await client.execute(uri: "/workflows/deploy?from=\(old)", method: .get, headers: ConsoleTest.pageHeaders) {
                response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("a diff needs both from= and to="))
            }
            try await client.execute(uri: "/workflows/nope", method: .get, headers: ConsoleTest.pageHeaders) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("no workflow named &#39;nope&#39;"))
            }
        }
    }
}
