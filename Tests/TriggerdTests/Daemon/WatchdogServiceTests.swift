import Foundation
import Testing

@testable import Triggerd

#if canImport(Glibc)
    import Glibc
#endif

@Suite("systemd watchdog")
struct WatchdogServiceTests {
    let notifier = SystemdNotifier(notifySocket: "@triggerd-test-unused")

    @Test func pingsAtHalfTheTimeout() throws {
        let service = try #require(
            WatchdogService(notifier: self.notifier, environment: ["WATCHDOG_USEC": "30000000"], ownPID: 77)
        )
        #expect(service.interval == .seconds(15))
    }

    @Test func onlyWhenSystemdAskedThisProcess() {
        #expect(WatchdogService(notifier: self.notifier, environment: [:], ownPID: 77) == nil)
        #expect(WatchdogService(notifier: self.notifier, environment: ["WATCHDOG_USEC": "0"], ownPID: 77) == nil)
        #expect(WatchdogService(notifier: self.notifier, environment: ["WATCHDOG_USEC": "soon"], ownPID: 77) == nil)
        #expect(
            WatchdogService(
                notifier: self.notifier,
                environment: ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "78"],
                ownPID: 77
            )
                == nil
        )
        #expect(
            WatchdogService(
                notifier: self.notifier,
                environment: ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "77"],
                ownPID: 77
            )
                != nil
        )
    }

    @Test(.timeLimit(.minutes(1)))
    func runPingsUntilCancelled() async throws {
        let directory = try UnixTestSocket.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/notify"
        let fd = try UnixTestSocket.bindDatagram(path)
        defer { close(fd) }
        // 20 ms timeout: pings every 10 ms.
        let service = try #require(
            WatchdogService(notifier: SystemdNotifier(notifySocket: path), environment: ["WATCHDOG_USEC": "20000"])
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            let first = try await UnixTestSocket.blocking { try UnixTestSocket.receive(fd) }
            let second = try await UnixTestSocket.blocking { try UnixTestSocket.receive(fd) }
            #expect(first == "WATCHDOG=1")
            #expect(second == "WATCHDOG=1")
            group.cancelAll()
            try await group.waitForAll()
        }
    }
}
