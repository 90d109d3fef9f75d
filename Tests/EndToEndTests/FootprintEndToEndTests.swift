import Foundation
import SocketSupport
import Testing

/// The daemon's footprint on the real binary: libcurl (and the ~27 libraries it pulls in: TLS, Kerberos, LDAP)
/// is not mapped until a step sends something, so a daemon whose workflows only run commands, transforms and
/// waits never pays for it.
@Suite("end to end: footprint")
struct FootprintEndToEndTests {
    @Test func libcurlIsMappedOnlyOnceAStepSendsSomething() throws {
        let closed = try DaemonProcess.freePort()
        let daemon = try DaemonProcess(workflows: [
            "local.yaml": """
                name: local
                triggers: [{ webhook: { path: /hooks/local } }]
                steps:
                  note: { type: transform, with: { value: "{{ trigger.body.n }}" } }
                """,
            "fetch.yaml": """
                name: fetch
                steps:
                  get: { type: http_request, with: { url: "http://127.0.0.1:\(closed)/nothing", timeout: 5 } }
                """,
        ])
        defer { daemon.stop() }
        try daemon.start()
        let pid = try #require(daemon.process?.processIdentifier)

        // Idle, then busy with runs that send nothing: no libcurl.
        #expect(RawConnection.request(port: daemon.port, "POST", "/hooks/local", body: Array(#"{"n":1}"#.utf8))?.status == 202)
        let run = daemon.ctl(["run", "local", "--wait"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Self.mapsCurl(pid) == false, "libcurl is mapped before any step sent anything")

        // The first http_request loads it (the transfer itself fails: nothing listens on that port).
        let fetch = daemon.ctl(["run", "fetch", "--wait"])
        #expect(fetch.status == 1, "the fetch should fail with connection refused: \(fetch.stdout) \(fetch.stderr)")
        #expect(fetch.stdout.contains("refused") || fetch.stderr.contains("refused") || fetch.stdout.contains("connect"),
            "the failure should come from libcurl's connect: \(fetch.stdout) \(fetch.stderr)")
        #expect(try Self.mapsCurl(pid), "libcurl is not mapped after an http_request step ran: \(fetch.stdout) \(fetch.stderr)")
        #expect(daemon.terminate() == 0)
    }

    /// Whether the process maps a libcurl shared object. /proc files report size 0, so read to the end rather
    /// than by size, and check the read saw the C library too (a short read must not pass as "no libcurl").
    static func mapsCurl(_ pid: Int32) throws -> Bool {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/\(pid)/maps"))
        defer { try? handle.close() }
        let maps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        guard maps.contains("/libc.so") else { throw E2EError("/proc/\(pid)/maps read short: no libc in it") }
        return maps.contains("/libcurl.so")
    }
}
