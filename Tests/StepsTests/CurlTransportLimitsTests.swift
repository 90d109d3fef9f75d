import Foundation
import Steps
import Testing

/// Timeouts, size cap, redirects, connect failures and refused requests, each with its error code and
/// a message that names the request.
@Suite struct CurlTransportLimitsTests {
    @Test func slowResponseTimesOutWithAClearError() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let transport = CurlTransport()
        let started = ContinuousClock.now
        let error = await #expect(throws: TransportError.self) {
            try await transport.send(HTTPStepRequest(url: server.url("/slow?seconds=20&token=secret"), timeout: 0.3))
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(error?.code == .timeout)
        let message = error?.message ?? ""
        #expect(
            message.hasPrefix(
                "GET http://127.0.0.1:\(server.port)/slow?…: timed out (timeout 300ms, connect timeout 10s)"
            )
        )
        #expect(!message.contains("secret"))
        #expect(transport.activeTransfers == 0)
    }

    @Test func responseOverTheCapIsAbortedWithTooLarge() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let transport = CurlTransport()
        // Known length: refused from the header. Chunked: refused once the bytes pass the cap.
        for path in ["/bytes?n=5000", "/bytes?n=200000&chunked=1"] {
            let error = await #expect(throws: TransportError.self) {
                try await transport.send(HTTPStepRequest(url: server.url(path), maxResponseBytes: 1000))
            }
            #expect(error?.code == .tooLarge)
            #expect(
                error?.message
                    == "GET \(server.url("/bytes"))?…: the response is larger than max_response (1000 bytes); transfer aborted"
            )
        }
        let exact = try await transport.send(
            HTTPStepRequest(url: server.url("/bytes?n=1000&chunked=1"), maxResponseBytes: 1000)
        )
        #expect(exact.body == Array(repeating: UInt8(ascii: "x"), count: 1000))
    }

    @Test func redirectsAreFollowedOnlyWhenAsked() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let transport = CurlTransport()
        let url = server.url("/redirect?to=/echo")
        let unfollowed = try await transport.send(HTTPStepRequest(url: url))
        #expect(unfollowed.status == 302)
        #expect(unfollowed.header("location") == "/echo")
        #expect(unfollowed.effectiveURL == url)
        let followed = try await transport.send(HTTPStepRequest(url: url, followRedirects: true))
        #expect(followed.status == 200)
        #expect(followed.effectiveURL == server.url("/echo"))
        // Only the final response's headers are kept.
        #expect(followed.header("location") == nil)
        #expect(try EchoedRequest(followed).path == "/echo")
    }

    @Test func redirectLoopFailsWithTooManyRedirects() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let error = await #expect(throws: TransportError.self) {
            try await CurlTransport().send(HTTPStepRequest(url: server.url("/loop"), followRedirects: true))
        }
        #expect(error?.code == .tooManyRedirects)
        #expect(error?.message == "GET \(server.url("/loop")): more than 10 redirects, probably a redirect loop")
    }

    @Test func refusedConnectionIsAConnectError() async throws {
        let server = try await CurlTransportTestServer.start()
        let port = server.port
        server.stop()
        let error = await #expect(throws: TransportError.self) {
            try await CurlTransport().send(HTTPStepRequest(url: "http://user:pw@127.0.0.1:\(port)/x"))
        }
        #expect(error?.code == .connect)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("GET http://127.0.0.1:\(port)/x: could not connect: "))
        #expect(!message.contains("pw"))
    }

    @Test(arguments: [
        (
            HTTPStepRequest(url: "file:///etc/passwd"),
            "GET file:///etc/passwd: only http:// and https:// URLs are supported"
        ),
        (
            HTTPStepRequest(
                url: "http://127.0.0.1:1/",
                headers: [HTTPHeader(name: "X-A", value: "1\r\nX-Injected: 2")]
            ),
            "GET http://127.0.0.1:1/: header 'X-A' has a line break in its value"
        ),
        (
            HTTPStepRequest(method: "GET /", url: "http://h/"),
            "GET / http://h/: method 'GET /' is not a valid HTTP method"
        ),
        (
            HTTPStepRequest(url: "http://h/a b"),
            "GET http://h/a b: the URL contains a space or control character; percent-encode it"
        ),
        (
            HTTPStepRequest(url: "http://h/", maxResponseBytes: 0),
            "GET http://h/: max response size must be positive, got 0"
        ),
    ])
    func invalidRequestsAreRefusedBeforeSending(request: HTTPStepRequest, message: String) async throws {
        let error = await #expect(throws: TransportError.self) { try await CurlTransport().send(request) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.message == message)
    }

    @Test(arguments: [
        ("https://user:pass@api.example.com/v1/x?token=abc#frag", "https://api.example.com/v1/x?…"),
        ("http://127.0.0.1:8080/a/b", "http://127.0.0.1:8080/a/b"),
        ("http://host/path@x", "http://host/path@x"),
        ("smtp://me:pw@mail.example.org:587", "smtp://mail.example.org:587"),
        ("http://host/#only-fragment", "http://host/"),
    ])
    func redactionRemovesCredentialsAndQuery(url: String, expected: String) {
        #expect(TransportError.redacted(url) == expected)
    }
}
