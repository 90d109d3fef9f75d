import Engine
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import CTriggerd
#if canImport(Glibc)
import Glibc
#endif

/// Hot reload: watches the workflows directory (recursively, with inotify) and reloads after changes settle
/// (debounced), so a create, edit, rename or delete takes effect within a second. SIGHUP reloads on demand.
struct WorkflowWatcher: Service {
    let directory: String
    let core: DaemonCore
    let notifier: SystemdNotifier
    let logger: Logger
    /// Quiet time after the last change before reloading.
    var debounce: Duration = .milliseconds(150)

    func run() async throws {
        let (changes, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let inotify = InotifyReader(directory: self.directory, onChange: { continuation.yield() })
        inotify.start()
        defer { inotify.stop() }
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                for await _ in hangups.cancelOnGracefulShutdown() { continuation.yield() }
            }
            group.addTask {
                for await _ in changes.cancelOnGracefulShutdown() {
                    try? await Task.sleep(for: self.debounce)
                    self.notifier.notify(["RELOADING=1"])
                    let report = await self.core.reload()
                    self.notifier.notify(["READY=1", "STATUS=\(report.loaded) workflows loaded, \(report.errors.count) refused"])
                    self.logger.notice(
                        "workflows reloaded",
                        metadata: ["workflows": "\(report.loaded)", "changed": "\(report.changed.joined(separator: ","))",
                                   "removed": "\(report.removed.joined(separator: ","))", "rejected": "\(report.errors.count)"])
                }
            }
            try await gracefulShutdown()
            continuation.finish()
            group.cancelAll()
        }
    }
}

/// A thread reading inotify events for a directory tree; calls `onChange` for every batch of events.
final class InotifyReader: Sendable {
    private let directory: String
    private let onChange: @Sendable () -> Void
    private let stopPipe: (read: Int32, write: Int32)

    init(directory: String, onChange: @escaping @Sendable () -> Void) {
        self.directory = directory
        self.onChange = onChange
        var fds: [Int32] = [-1, -1]
        _ = ctriggerd_pipe_cloexec(&fds)
        self.stopPipe = (fds[0], fds[1])
    }

    func start() {
        Thread.detachNewThread { [self] in self.loop() }
    }

    func stop() {
        var byte: UInt8 = 1
        _ = write(self.stopPipe.write, &byte, 1)
    }

    private static let mask: UInt32 = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ATTRIB)

    private func addWatches(_ fd: Int32) {
        _ = inotify_add_watch(fd, self.directory, Self.mask)
        guard let enumerator = FileManager.default.enumerator(atPath: self.directory) else { return }
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = self.directory + "/" + path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), isDirectory.boolValue {
                _ = inotify_add_watch(fd, full, Self.mask)
            }
        }
    }

    private func loop() {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { return }
        defer {
            close(fd)
            close(self.stopPipe.read)
            close(self.stopPipe.write)
        }
        self.addWatches(fd)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: self.stopPipe.read, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { continue }
            // New sub-directories need their own watch; re-adding existing watches is harmless.
            self.addWatches(fd)
            self.onChange()
        }
    }
}
