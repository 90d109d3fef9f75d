import Engine
import Foundation
import ServiceLifecycle
import Testing

@testable import Triggerd

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Control API over a real Unix socket")
struct ControlSocketLiveTests {
    @Test(.timeLimit(.minutes(1)))
    func liveSocketHasMode0660AndKnowsWhoIsCalling() async throws {
        let directory = try UnixTestSocket.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/control.sock"
        let plane = FakeControlPlane()
        let (listening, signal) = AsyncStream<Void>.makeStream()
        let server = try ControlServer(
            plane: plane,
            socketPath: path,
            socketGroup: nil,
            logger: ControlTest.logger,
            onListening: { signal.yield() }
        )

        // Stopped the way the daemon stops it: graceful shutdown of its service group (cancelling Hummingbird
        // mid-run is not a supported way to stop it).
        let services = ServiceGroup(services: [server], logger: ControlTest.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { signal.finish() }
                try await services.run()
            }
            var iterator = listening.makeAsyncIterator()
            guard await iterator.next() != nil else {
                try await group.next()  // rethrows why the server stopped
                Issue.record("the control server stopped before listening")
                return
            }

            var info = stat()
            #expect(stat(path, &info) == 0)
            #expect(info.st_mode & S_IFMT == S_IFSOCK)
            #expect(info.st_mode & 0o7777 == 0o660)

            let (status, body) = try await UnixTestSocket.blocking {
                try UnixTestSocket.http(
                    socket: path,
                    method: "POST",
                    target: "/v1/runs/r1/approve",
                    body: #"{"comment": "live"}"#
                )
            }
            #expect(status == 200)
            let decision = try JSONValue.parse(body)
            #expect(decision["uid"] == .number(Double(getuid())))
            if getuid() == 0 { #expect(decision["user"] == "root") }

            // A second server on the same path must not steal the socket from the running one.
            let intruder = try ControlServer(
                plane: plane,
                socketPath: path,
                socketGroup: nil,
                logger: ControlTest.logger
            )
            let refusal = await #expect(throws: EngineError.self) { try await intruder.run() }
            #expect(refusal?.message == "another process is already serving the control socket \(path)")

            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }

        let peer = try #require(await plane.decisions.first?.peer)
        #expect(peer.uid == Int(getuid()))
        #expect(peer.user == PeerIdentityResolver.userName(uid: getuid()))
        #expect(peer.groups.first == PeerIdentityResolver.groupName(gid: getgid()))
        #expect(access(path, F_OK) != 0, "the socket file is removed when the server stops")
    }
}
