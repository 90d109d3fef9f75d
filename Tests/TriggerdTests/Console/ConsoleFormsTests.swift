import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Triggerd

@Suite("Console: forms, CSRF and identity")
struct ConsoleFormsTests {
    @Test func approvingRecordsTheSocketPeerAndRedirects() async throws {
        let plane = FakeControlPlane()
        let peer = PeerIdentity(uid: 4242, user: "triggerd", groups: ["triggerd"])
        let app = try ControlTest.server(plane, peer: peer).makeApplication()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/approvals", method: .get)
            let token = try #require(ConsoleTest.csrfToken(in: String(buffer: page.body)))
            try await client.execute(
                uri: "/runs/r1/steps/gate/decide",
                method: .post,
                headers: ConsoleTest.formHeaders,
                body: ControlTest.body("csrf=\(token)&comment=looks+good%21&decision=approve")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/approvals?done=approved")
            }
            try await client.execute(uri: "/approvals?done=approved", method: .get) { response in
                #expect(String(buffer: response.body).contains("Approval recorded."))
            }
        }
        #expect(
            await plane.decisions == [
                .init(runID: "r1", stepID: "gate", approve: true, comment: "looks good!", peer: peer)
            ]
        )
    }

    @Test(arguments: [
        "comment=x&decision=approve",
        "csrf=&decision=approve",
        "csrf=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff&decision=approve",
        "csrf=nothex&decision=reject",
    ])
    func missingOrForgedTokenIs403AndChangesNothing(body: String) async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            for uri in ["/runs/r1/steps/gate/decide", "/runs/r1/cancel", "/runs/r1/retry"] {
                try await client.execute(
                    uri: uri,
                    method: .post,
                    headers: ConsoleTest.formHeaders,
                    body: ControlTest.body(body)
                ) { response in
                    #expect(response.status == .forbidden)
                    let html = String(buffer: response.body)
                    #expect(html.contains("CSRF token is missing or not valid"))
                    #expect(html.contains("Nothing was changed."))
                }
            }
        }
        #expect(await plane.decisions.isEmpty)
        #expect(await plane.cancelled.isEmpty)
    }

    @Test func aTokenIsBoundToThePeerItWasMadeFor() async throws {
        let plane = FakeControlPlane()
        let csrf = ConsoleCSRF()
        let alice = PeerIdentity(uid: 1000, user: "alice", groups: [])
        let bob = PeerIdentity(uid: 1001, user: "bob", groups: [])
        let token = csrf.token(for: ConsoleCSRF.identity(of: alice))
        #expect(csrf.isValid(token, for: ConsoleCSRF.identity(of: alice)))
        #expect(!csrf.isValid(token, for: ConsoleCSRF.identity(of: bob)))
        #expect(!ConsoleCSRF().isValid(token, for: ConsoleCSRF.identity(of: alice)), "a restart voids tokens")
        _ = plane
    }

    @Test func cancelAndRetryRedirectToTheRun() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/runs/r1", method: .get)
            let token = try #require(ConsoleTest.csrfToken(in: String(buffer: page.body)))
            try await client.execute(
                uri: "/runs/r1/cancel",
                method: .post,
                headers: ConsoleTest.formHeaders,
                body: ControlTest.body("csrf=\(token)")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/runs/r1?done=cancelled")
            }
            try await client.execute(
                uri: "/runs/r1/retry",
                method: .post,
                headers: ConsoleTest.formHeaders,
                body: ControlTest.body("csrf=\(token)")
            ) { response in
                #expect(response.headers[.location] == "/runs/r-retry?done=retried")
            }
            // A refusal from the plane is an error page, not a crash.
            try await client.execute(
                uri: "/runs/r9/cancel",
                method: .post,
                headers: ConsoleTest.formHeaders,
                body: ControlTest.body("csrf=\(token)")
            ) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("run &#39;r9&#39; already ended"))
            }
        }
        #expect(await plane.cancelled == ["r1"])
    }

    @Test func aDecisionMustBeApproveOrReject() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/approvals", method: .get)
            let token = try #require(ConsoleTest.csrfToken(in: String(buffer: page.body)))
            try await client.execute(
                uri: "/runs/r1/steps/gate/decide",
                method: .post,
                headers: ConsoleTest.formHeaders,
                body: ControlTest.body("csrf=\(token)&decision=maybe")
            ) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("decision must be &#39;approve&#39; or &#39;reject&#39;"))
            }
        }
        #expect(await plane.decisions.isEmpty)
    }

    @Test func formFieldsDecode() {
        let form = ConsoleForm.parse("a=1&b=x+y%26z&c=&d")
        #expect(form["a"] == "1")
        #expect(form["b"] == "x y&z")
        #expect(form["c"] == nil)
        #expect(form.fields["d"] == "")
    }
}

@Suite("Console: deliveries replay")
struct DeliveryReplayTests {
    @Test func theAPIReplaysADeliveryAsANewRun() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/deliveries/d1/replay", method: .post) { response in
                #expect(response.status == .created)
                let body = try ControlTest.json(response)
                #expect(body == ["run_id": "r-replay", "replay_of": "d1"])
            }
            try await client.execute(uri: "/v1/deliveries/d9/replay", method: .post) { response in
                try ControlTest.expectError(response, .notFound, "not_found", "no delivery with id 'd9'")
            }
        }
    }

    @Test func theReplayButtonNeedsTheCSRFTokenAndLeadsToTheNewRun() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/approvals", method: .get)
            let token = try #require(ConsoleTest.csrfToken(in: String(buffer: page.body)))
            try await client.execute(
                uri: "/deliveries/d1/replay",
                method: .post,
                headers: ConsoleTest.formHeaders,
                body: ControlTest.body("csrf=\(token)")
            ) { response in
                #expect(response.headers[.location] == "/runs/r-replay?done=replayed")
            }
            try await client.execute(
                uri: "/deliveries/d1/replay",
                method: .post,
                headers: ConsoleTest.formHeaders,
                body: ControlTest.body("csrf=0")
            ) { response in
                #expect(response.status == .forbidden)
            }
        }
    }
}
