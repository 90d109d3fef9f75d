import Engine
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Triggerd

/// `/console/runs/{id}/items`: the item counts `console.js` polls while a `for_each` runs.
@Suite struct ConsoleItemsRouteTests {
    @Test func answersTheRunsForEachCountsAsJSON() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/console/runs/r1/items", method: .get) { response in
                #expect(response.status == .ok)
                let items = try ControlTest.json(response)
                #expect(items == ["fan": ["total": 10, "done": 4, "failed": 1]])
            }
            try await client.execute(uri: "/console/runs/nope/items", method: .get) { response in
                let items = try ControlTest.json(response)
                #expect(items == [:])
            }
        }
    }

    @Test func theScriptPollsOnlyWhileAForEachRuns() {
        let script = ConsoleScript.text
        #expect(script.contains("'/console/runs/' + encodeURIComponent(run) + '/items'"))
        #expect(script.contains("document.querySelector('[data-for-each][data-status=running]')"))
    }
}
