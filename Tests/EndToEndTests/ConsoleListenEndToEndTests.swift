import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `console.listen` on a port someone else holds: `triggerd` stops at start with one line naming the address and
/// a non-zero status, instead of crashing or hanging with the console missing.
@Suite struct ConsoleListenEndToEndTests {
    /// A listening TCP socket on 127.0.0.1 at a free port, closed by `close`.
    struct HeldPort {
        let fd: Int32
        let port: Int

        init() throws {
            let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = 0
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
            }
            guard bound == 0, listen(fd, 4) == 0 else {
                _ = Glibc.close(fd)
                throw E2EError("cannot hold a port")
            }
            _ = withUnsafeMutablePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
            }
            self.fd = fd
            self.port = Int(UInt16(bigEndian: addr.sin_port))
        }

        func close() { _ = Glibc.close(self.fd) }
    }

    @Test func aConsolePortInUseStopsTheStartWithOneLineNamingTheAddress() throws {
        let held = try HeldPort()
        defer { held.close() }
        let daemon = try DaemonProcess(
            workflows: ["a.yaml": "steps: { a: { type: transform, with: { value: 1 } } }"],
            config: "console: { listen: \"127.0.0.1:\(held.port)\" }\n")
        defer { daemon.stop() }
        let started = Date()
        let result = CommandResult.run(
            [
                DaemonProcess.binDirectory + "/triggerd", "--workflows", daemon.workflows, "--state-dir", daemon.stateDir,
                "--socket", daemon.socket, "--listen", "127.0.0.1:\(daemon.port)",
            ] + daemon.extraArguments,
            timeout: 30)
        #expect(result.status == 1)
        #expect(
            result.stderr == "triggerd: cannot listen on console.listen 127.0.0.1:\(held.port): address already in use\n")
        #expect(!result.stderr.contains("Fatal error"))
        #expect(Date().timeIntervalSince(started) < 20, "it must stop at once, not hang")
        #expect(!FileManager.default.fileExists(atPath: daemon.socket), "nothing is left listening on the socket")
    }
}
