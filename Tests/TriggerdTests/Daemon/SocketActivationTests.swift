import Foundation
import Testing

@testable import Triggerd

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Socket activation (LISTEN_FDS)")
struct SocketActivationTests {
    /// A bound, listening Unix socket at `path`; the caller closes it.
    static func unixListener(_ path: String, listen shouldListen: Bool = true) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let address = try #require(UnixSocketAddress(path))
        let bound = address.withSockaddr { bind(fd, $0, $1) }
        try #require(bound == 0)
        if shouldListen { try #require(listen(fd, 8) == 0) }
        return fd
    }

    /// A listening TCP socket on 127.0.0.1 (any port); returns the descriptor and the port.
    static func tcpListener() throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        try #require(bound == 0 && listen(fd, 8) == 0)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    @Test func withoutVariablesOrForAnotherProcessThereIsNoActivation() throws {
        #expect(try SocketActivation.fromEnvironment([:], ownPID: 42) == nil)
        #expect(try SocketActivation.fromEnvironment(["LISTEN_PID": "41", "LISTEN_FDS": "2"], ownPID: 42) == nil)
        #expect(try SocketActivation.fromEnvironment(["LISTEN_PID": "42", "LISTEN_FDS": "0"], ownPID: 42) == nil)
        let failure = #expect(throws: SocketActivation.Failure.self) {
            try SocketActivation.fromEnvironment(["LISTEN_PID": "42", "LISTEN_FDS": "two"], ownPID: 42)
        }
        #expect(failure?.description == "socket activation: LISTEN_PID='42' and LISTEN_FDS='two' must be numbers")
    }

    @Test func inspectReadsFamilyAndAddressOfListeningSockets() throws {
        let directory = try UnixTestSocket.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let unix = try Self.unixListener(directory + "/c.sock")
        defer { close(unix) }
        let (tcp, port) = try Self.tcpListener()
        defer { close(tcp) }

        let control = try SocketActivation.inspect(unix, name: "control")
        #expect(control == .init(descriptor: unix, name: "control", family: AF_UNIX, address: directory + "/c.sock"))
        let webhook = try SocketActivation.inspect(tcp, name: "triggerd")
        #expect(webhook == .init(descriptor: tcp, name: "triggerd", family: AF_INET, address: "127.0.0.1:\(port)"))
    }

    @Test func inspectRefusesWhatIsNotAListeningStreamSocket() throws {
        let directory = try UnixTestSocket.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bound = try Self.unixListener(directory + "/idle.sock", listen: false)
        defer { close(bound) }
        let notListening = #expect(throws: SocketActivation.Failure.self) {
            try SocketActivation.inspect(bound, name: "x")
        }
        #expect(
            notListening?.description
                == "socket activation: descriptor \(bound) ('x') is not a listening stream socket (use ListenStream=)"
        )

        var pipeFDs: [Int32] = [0, 0]
        try #require(pipe(&pipeFDs) == 0)
        defer { pipeFDs.forEach { close($0) } }
        let notSocket = #expect(throws: SocketActivation.Failure.self) {
            try SocketActivation.inspect(pipeFDs[0], name: "p")
        }
        #expect(notSocket?.description == "socket activation: descriptor \(pipeFDs[0]) ('p') is not a socket")
    }

    @Test func rolesComeFromNamesThenFromTheAddressFamily() throws {
        let unix = SocketActivation.Socket(
            descriptor: 3,
            name: "triggerd",
            family: AF_UNIX,
            address: "/run/triggerd/control.sock"
        )
        let tcp = SocketActivation.Socket(descriptor: 4, name: "triggerd", family: AF_INET, address: "127.0.0.1:8780")
        let byFamily = try SocketActivation.assign([unix, tcp])
        #expect(byFamily.control == unix)
        #expect(byFamily.webhook == tcp)

        let onlyWebhook = try SocketActivation.assign([tcp])
        #expect(onlyWebhook.control == nil)
        #expect(onlyWebhook.webhook == tcp)

        var misnamed = tcp
        misnamed.name = "control"
        let wrongFamily = #expect(throws: SocketActivation.Failure.self) { try SocketActivation.assign([misnamed]) }
        #expect(
            wrongFamily?.description
                == "socket activation: the control socket must be a Unix socket, got 127.0.0.1:8780"
        )

        var second = unix
        second.descriptor = 5
        let twice = #expect(throws: SocketActivation.Failure.self) { try SocketActivation.assign([unix, second]) }
        #expect(twice?.description == "socket activation: two control sockets passed (/run/triggerd/control.sock)")
    }
}
