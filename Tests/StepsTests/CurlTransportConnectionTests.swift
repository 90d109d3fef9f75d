import Foundation
import Steps
import Testing

/// Connection handling: reuse, the per-host limit under load, cancellation, Unix sockets.
@Suite struct CurlTransportConnectionTests {
    @Test func sequentialRequestsReuseOneConnection() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let transport = CurlTransport()
        var connections: [Int] = []
        for _ in 0..<3 {
            connections.append(
                try EchoedRequest(try await transport.send(HTTPStepRequest(url: server.url("/echo")))).connection
            )
        }
        #expect(Set(connections).count == 1)
        #expect(try await server.stats(via: transport)["connections"] == 1)
    }

    @Test func hundredConcurrentRequestsShareAFewConnections() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let transport = CurlTransport(maxConnectionsPerHost: 4)
        let paths = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<100 {
                group.addTask {
                    let response = try await transport.send(HTTPStepRequest(url: server.url("/echo?i=\(index)")))
                    #expect(response.status == 200)
                    return try EchoedRequest(response).path
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(paths == Set((0..<100).map { "/echo?i=\($0)" }))
        #expect(transport.activeTransfers == 0)
        let connections = try #require(try await server.stats(via: transport)["connections"])
        #expect(connections >= 1 && connections <= 4)
    }

    @Test func cancellingATransferClosesItsConnectionPromptly() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let transport = CurlTransport()
        let slow = Task { try await transport.send(HTTPStepRequest(url: server.url("/slow?seconds=30"))) }
        // Cancel only once the server holds the request, so this exercises a live transfer.
        _ = try await server.stats(via: transport, waitingFor: "slow_waiting", toReach: 1)
        #expect(transport.activeTransfers == 1)
        let started = ContinuousClock.now
        slow.cancel()
        let result = await slow.result
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(transport.activeTransfers == 0)
        // The server sees the client hang up: the connection was closed, not left in the pool.
        let stats = try await server.stats(via: transport, waitingFor: "aborted", toReach: 1)
        #expect(stats["aborted"] == 1)
        #expect(stats["slow_waiting"] == 0)
        // And the transport carries on at once.
        #expect(try await transport.send(HTTPStepRequest(url: server.url("/echo"))).status == 200)
    }

    @Test func alreadyCancelledTaskNeverSends() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let transport = CurlTransport()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await transport.send(HTTPStepRequest(url: server.url("/echo")))
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(try await server.stats(via: transport)["connections"] == 1)
    }

    @Test func requestsGoOverAUnixSocket() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "curl-\(UUID().uuidString.prefix(8))"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("control.sock").path
        let server = try await CurlTransportTestServer.start(["--unix", socket])
        defer { server.stop() }
        let transport = CurlTransport()
        let request = HTTPStepRequest(
            method: "POST",
            url: "http://localhost/echo?run=1",
            headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
            body: Array(#"{"ok":true}"#.utf8),
            unixSocketPath: socket
        )
        let first = try EchoedRequest(try await transport.send(request))
        #expect(first.method == "POST")
        #expect(first.path == "/echo?run=1")
        #expect(first.body == #"{"ok":true}"#)
        #expect(first.header("host") == ["localhost"])
        let second = try EchoedRequest(try await transport.send(request))
        #expect(second.connection == first.connection)
    }

    @Test func missingUnixSocketIsAConnectError() async throws {
        let error = await #expect(throws: TransportError.self) {
            try await CurlTransport().send(
                HTTPStepRequest(url: "http://localhost/v1/runs", unixSocketPath: "/nonexistent/triggerd.sock")
            )
        }
        #expect(error?.code == .connect)
        #expect(
            error?.message.hasPrefix(
                "GET http://localhost/v1/runs (unix socket /nonexistent/triggerd.sock): could not connect: "
            ) == true
        )
    }
}
