import Foundation
import Testing

@testable import Triggerd

#if canImport(Glibc)
    import Glibc
#endif

@Suite("systemd notifications")
struct SystemdNotifierTests {
    @Test func sendsStateLinesToAPathSocket() throws {
        let directory = try UnixTestSocket.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/notify"
        let fd = try UnixTestSocket.bindDatagram(path)
        defer { close(fd) }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path])
        #expect(notifier.isEnabled)

        #expect(notifier.ready(status: "3 workflows loaded"))
        #expect(try UnixTestSocket.receive(fd) == "READY=1\nSTATUS=3 workflows loaded")
        #expect(notifier.status("reloading workflows"))
        #expect(try UnixTestSocket.receive(fd) == "STATUS=reloading workflows")
        #expect(notifier.watchdog())
        #expect(try UnixTestSocket.receive(fd) == "WATCHDOG=1")
        #expect(notifier.reloading(monotonicMicroseconds: 123_456))
        #expect(try UnixTestSocket.receive(fd) == "RELOADING=1\nMONOTONIC_USEC=123456")
        #expect(notifier.stopping())
        #expect(try UnixTestSocket.receive(fd) == "STOPPING=1")
    }

    @Test func sendsToAnAbstractSocket() throws {
        let name = "@triggerd-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try UnixTestSocket.bindDatagram(name)
        defer { close(fd) }
        let notifier = SystemdNotifier(notifySocket: name)
        #expect(notifier.ready())
        #expect(try UnixTestSocket.receive(fd) == "READY=1")
    }

    @Test func withoutNotifySocketNothingIsSent() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        #expect(notifier.notifySocket == nil)
        #expect(!notifier.ready())
        #expect(!SystemdNotifier(notifySocket: "").isEnabled)
    }

    @Test func aMissingSocketIsReportedNotThrown() throws {
        let notifier = SystemdNotifier(notifySocket: "/nonexistent/triggerd-notify")
        #expect(notifier.isEnabled)
        #expect(!notifier.ready())
    }

    @Test func monotonicMicrosecondsAdvance() {
        let first = SystemdNotifier.monotonicMicroseconds()
        let second = SystemdNotifier.monotonicMicroseconds()
        #expect(first > 0)
        #expect(second >= first)
    }
}
