import Engine
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Triggerd

@Suite("Console over TCP: tokens, sessions, roles, proxy")
struct ConsoleTCPAccessTests {
    static func app(
        _ plane: FakeControlPlane,
        auth: ConsoleListenerConfiguration.Auth = .tokens,
        from peer: String = "127.0.0.1"
    ) throws -> some ApplicationProtocol {
        var settings = ConsoleListenerConfiguration(listen: "127.0.0.1:0")
        settings.auth = auth
        return try ConsoleTCPServer(
            plane: plane, settings: settings, address: try #require(ListenAddress.parse("127.0.0.1:0")),
            logger: ControlTest.logger, peerAddress: { _ in peer }
        ).makeApplication()
    }

    static func bearer(_ role: String, _ extra: HTTPFields = [:]) -> HTTPFields {
        var headers = extra
        headers[.authorization] = "Bearer tdc_\(role)"
        return headers
    }

    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    @Test func aViewerMayReadButNotApprove() async throws {
        let plane = FakeControlPlane()
        try await Self.app(plane).test(.router) { client in
            try await client.execute(uri: "/v1/approvals", method: .get, headers: Self.bearer("viewer")) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(
                uri: "/v1/runs/r1/steps/gate/approve", method: .post,
                headers: Self.bearer("viewer", Self.jsonHeaders), body: ControlTest.body("{}")
            ) { response in
                try ControlTest.expectError(
                    response, .forbidden, "forbidden",
                    "viewer-bot has the viewer role; POST /v1/runs/r1/steps/gate/approve needs operator")
            }
        }
        #expect(await plane.decisions.isEmpty)
    }

    @Test func anOperatorApprovesAsTheTokensName() async throws {
        let plane = FakeControlPlane()
        try await Self.app(plane).test(.router) { client in
            try await client.execute(
                uri: "/v1/runs/r1/steps/gate/approve", method: .post,
                headers: Self.bearer("operator", Self.jsonHeaders), body: ControlTest.body(#"{"comment":"ok"}"#)
            ) { response in
                #expect(response.status == .ok)
                let body = try ControlTest.json(response)
                #expect(body["user"] == "operator-bot")
            }
        }
        #expect(
            await plane.decisions == [
                .init(runID: "r1", stepID: "gate", approve: true, comment: "ok",
                      peer: PeerIdentity(uid: -1, user: "operator-bot", groups: []))
            ])
    }

    @Test func onlyAnAdminReloadsOrSeesTokens() async throws {
        let plane = FakeControlPlane()
        try await Self.app(plane).test(.router) { client in
            for uri in ["/v1/reload"] {
                try await client.execute(uri: uri, method: .post, headers: Self.bearer("operator")) { response in
                    #expect(response.status == .forbidden)
                }
            }
            try await client.execute(uri: "/v1/tokens", method: .get, headers: Self.bearer("operator")) { response in
                #expect(response.status == .forbidden)
            }
            #expect(await plane.reloads == 0)
            try await client.execute(uri: "/v1/reload", method: .post, headers: Self.bearer("admin")) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(await plane.reloads == 1)
    }

    @Test(arguments: [nil, "Bearer tdc_nobody", "Bearer ", "Basic dXNlcjpwYXNz"])
    func aBadOrAbsentTokenIs401(authorization: String?) async throws {
        let plane = FakeControlPlane()
        try await Self.app(plane).test(.router) { client in
            var headers: HTTPFields = [:]
            if let authorization { headers[.authorization] = authorization }
            try await client.execute(uri: "/v1/status", method: .get, headers: headers) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="triggerd console""#)
                let body = try ControlTest.json(response)
                #expect(body["error"]?["code"] == "unauthorized")
            }
        }
    }

    @Test func aPersonIsSentToLoginAndAViewerSessionCannotApprove() async throws {
        let plane = FakeControlPlane()
        try await Self.app(plane).test(.router) { client in
            try await client.execute(uri: "/approvals", method: .get, headers: ConsoleTest.pageHeaders) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login")
            }
            try await client.execute(
                uri: "/login", method: .post, headers: ConsoleTest.formHeaders, body: ControlTest.body("token=tdc_bogus")
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="triggerd console""#)
                #expect(response.headers[.setCookie] == nil)
            }
            let login = try await client.execute(
                uri: "/login", method: .post, headers: ConsoleTest.formHeaders, body: ControlTest.body("token=tdc_viewer"))
            #expect(login.status == .seeOther)
            let setCookie = try #require(login.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            #expect(!setCookie.contains("tdc_viewer"))
            let cookie = String(setCookie.prefix { $0 != ";" })
            var page = ConsoleTest.pageHeaders
            page[.cookie] = cookie
            let approvals = try await client.execute(uri: "/approvals", method: .get, headers: page)
            #expect(approvals.status == .ok)
            let csrf = try #require(ConsoleTest.csrfToken(in: String(buffer: approvals.body)))
            var form = ConsoleTest.formHeaders
            form[.cookie] = cookie
            try await client.execute(
                uri: "/runs/r1/steps/gate/decide", method: .post, headers: form,
                body: ControlTest.body("csrf=\(csrf)&decision=approve")
            ) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("viewer-bot has the viewer role"))
            }
        }
        #expect(await plane.decisions.isEmpty)
    }

    @Test func anOperatorSessionApprovesWithItsCSRFToken() async throws {
        let plane = FakeControlPlane()
        try await Self.app(plane).test(.router) { client in
            let login = try await client.execute(
                uri: "/login", method: .post, headers: ConsoleTest.formHeaders, body: ControlTest.body("token=tdc_operator"))
            let cookie = String(try #require(login.headers[.setCookie]).prefix { $0 != ";" })
            var page = ConsoleTest.pageHeaders
            page[.cookie] = cookie
            let approvals = try await client.execute(uri: "/approvals", method: .get, headers: page)
            let csrf = try #require(ConsoleTest.csrfToken(in: String(buffer: approvals.body)))
            var form = ConsoleTest.formHeaders
            form[.cookie] = cookie
            try await client.execute(
                uri: "/runs/r1/steps/gate/decide", method: .post, headers: form,
                body: ControlTest.body("csrf=\(csrf)&decision=approve")
            ) { response in
                #expect(response.status == .seeOther)
            }
        }
        #expect(await plane.decisions.map(\.peer.user) == ["operator-bot"])
    }

    @Test func theProxyHeaderCountsOnlyFromTheProxy() async throws {
        let plane = FakeControlPlane()
        var proxied = Self.jsonHeaders
        proxied[HTTPField.Name("X-Forwarded-User")!] = "mallory"
        let headers = proxied
        try await Self.app(plane, auth: .proxy, from: "10.0.0.9").test(.router) { client in
            try await client.execute(
                uri: "/v1/runs/r1/steps/gate/approve", method: .post, headers: headers, body: ControlTest.body("{}")
            ) { response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(await plane.decisions.isEmpty)
        try await Self.app(plane, auth: .proxy, from: "127.0.0.1").test(.router) { client in
            try await client.execute(uri: "/v1/status", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(
                uri: "/v1/runs/r1/steps/gate/approve", method: .post, headers: headers, body: ControlTest.body("{}")
            ) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(await plane.decisions.map(\.peer.user) == ["mallory"])
    }

    @Test func logoutNeedsTheSessionsCSRFTokenNotOnlyASameSiteOrigin() async throws {
        let plane = FakeControlPlane()
        try await Self.app(plane).test(.router) { client in
            let login = try await client.execute(
                uri: "/login", method: .post, headers: ConsoleTest.formHeaders, body: ControlTest.body("token=tdc_viewer"))
            let cookie = String(try #require(login.headers[.setCookie]).prefix { $0 != ";" })
            var page = ConsoleTest.pageHeaders
            page[.cookie] = cookie
            let runs = try await client.execute(uri: "/runs", method: .get, headers: page)
            let html = String(buffer: runs.body)
            #expect(html.contains(#"<form id="logout" method="post" action="/logout" class="inline logout">"#))
            let csrf = try #require(ConsoleTest.csrfToken(in: html))
            var form = ConsoleTest.formHeaders
            form[.cookie] = cookie
            for body in ["", "csrf=", "csrf=00112233"] {
                try await client.execute(uri: "/logout", method: .post, headers: form, body: ControlTest.body(body)) {
                    response in
                    #expect(response.status == .forbidden)
                    #expect(String(buffer: response.body).contains("CSRF token is missing or not valid"))
                }
            }
            try await client.execute(uri: "/runs", method: .get, headers: page) { response in
                #expect(response.status == .ok, "a refused logout leaves the session open")
            }
            try await client.execute(uri: "/logout", method: .get, headers: page) { response in
                #expect(String(buffer: response.body).contains(#"<form id="logout" method="post" action="/logout""#))
            }
            try await client.execute(uri: "/logout", method: .post, headers: form, body: ControlTest.body("csrf=\(csrf)")) {
                response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login")
                #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
            try await client.execute(uri: "/runs", method: .get, headers: page) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login")
            }
        }
    }

    @Test func bearerAndSocketPagesOfferNoLogout() async throws {
        try await Self.app(FakeControlPlane()).test(.router) { client in
            var headers = Self.bearer("viewer")
            headers[.accept] = ConsoleTest.html
            try await client.execute(uri: "/runs", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                #expect(!String(buffer: response.body).contains("id=\"logout\""))
            }
        }
    }

    @Test func inProxyModeLoginTakesNoToken() async throws {
        try await Self.app(FakeControlPlane(), auth: .proxy).test(.router) { client in
            try await client.execute(uri: "/login", method: .get, headers: ConsoleTest.pageHeaders) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("access comes through the proxy in front of it"))
                #expect(!html.contains("<form id=\"login\""))
                #expect(!html.contains("name=\"token\""))
            }
            try await client.execute(
                uri: "/login", method: .post, headers: ConsoleTest.formHeaders, body: ControlTest.body("token=tdc_admin")
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.setCookie] == nil)
                #expect(String(buffer: response.body).contains("this console takes no tokens"))
            }
        }
    }
}
