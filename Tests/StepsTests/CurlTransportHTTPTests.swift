import Foundation
import Steps
import Testing

/// Plain request/response behaviour of `CurlTransport` against Tests/Fixtures/http_server.py.
@Suite struct CurlTransportHTTPTests {
    @Test func getSendsHeadersInOrderAndReturnsResponseHeaders() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let transport = CurlTransport()
        let request = HTTPStepRequest(
            url: server.url("/echo?page=2"),
            headers: [HTTPHeader(name: "X-First", value: "1"), HTTPHeader(name: "X-Second", value: "two words")]
        )
        let response = try await transport.send(request)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.headers.first?.name == "server")
        #expect(response.headers.allSatisfy { $0.name == $0.name.lowercased() })
        #expect(response.effectiveURL == server.url("/echo?page=2"))
        let echo = try EchoedRequest(response)
        #expect(echo.method == "GET")
        #expect(echo.path == "/echo?page=2")
        #expect(echo.header("x-first") == ["1"])
        #expect(echo.header("x-second") == ["two words"])
        #expect(echo.header("user-agent") == ["triggerd"])
        let names = echo.headers.map { $0[0] }
        #expect(names.firstIndex(of: "x-first")! < names.firstIndex(of: "x-second")!)
        #expect(echo.body == "")
    }

    @Test func postSendsTheJSONBodyExactly() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let transport = CurlTransport()
        let json = #"{"text":"héllo","n":[1,2]}"#
        let response = try await transport.send(
            HTTPStepRequest(
                method: "POST",
                url: server.url("/echo"),
                headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
                body: Array(json.utf8)
            )
        )
        let echo = try EchoedRequest(response)
        #expect(echo.method == "POST")
        #expect(echo.body == json)
        #expect(echo.header("content-type") == ["application/json"])
        #expect(echo.header("content-length") == ["\(json.utf8.count)"])
        #expect(echo.header("expect") == [])
    }

    @Test func bodyWithoutContentTypeIsNotLabelledAsAForm() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let transport = CurlTransport(userAgent: nil)
        let put = try EchoedRequest(
            try await transport.send(HTTPStepRequest(method: "PUT", url: server.url("/echo"), body: Array("raw".utf8)))
        )
        #expect(put.method == "PUT")
        #expect(put.body == "raw")
        #expect(put.header("content-type") == [])
        #expect(put.header("user-agent") == [])
        let post = try EchoedRequest(
            try await transport.send(HTTPStepRequest(method: "POST", url: server.url("/echo")))
        )
        #expect(post.header("content-length") == ["0"])
        let delete = try EchoedRequest(
            try await transport.send(HTTPStepRequest(method: "DELETE", url: server.url("/echo")))
        )
        #expect(delete.method == "DELETE")
        #expect(delete.header("content-length") == [])
    }

    @Test func requestHeadersOverrideDefaultsAndEmptyValuesAreSent() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let transport = CurlTransport()
        let response = try await transport.send(
            HTTPStepRequest(
                url: server.url("/echo"),
                headers: [HTTPHeader(name: "User-Agent", value: "custom/1"), HTTPHeader(name: "X-Empty", value: "")]
            )
        )
        let echo = try EchoedRequest(response)
        #expect(echo.header("user-agent") == ["custom/1"])
        #expect(echo.header("x-empty") == [""])
    }

    @Test func errorStatusesPassThroughUnjudged() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let transport = CurlTransport()
        let notFound = try await transport.send(HTTPStepRequest(url: server.url("/status/404")))
        #expect(notFound.status == 404)
        #expect(String(decoding: notFound.body, as: UTF8.self) == "status 404")
        let serverError = try await transport.send(
            HTTPStepRequest(method: "POST", url: server.url("/status/503"), body: [])
        )
        #expect(serverError.status == 503)
    }

    @Test func headReturnsHeadersWithoutBody() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let response = try await CurlTransport().send(HTTPStepRequest(method: "HEAD", url: server.url("/bytes?n=100")))
        #expect(response.status == 200)
        #expect(response.header("content-length") == "100")
        #expect(response.body.isEmpty)
    }
}
