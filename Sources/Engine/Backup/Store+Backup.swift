public import Foundation
import GRDB

extension Store {
    /// Writes a consistent copy of the live database to `destination` (an absolute path that must not exist yet)
    /// and returns its size.
    ///
    /// The copy is SQLite's online backup taken from a read snapshot, so writers carry on meanwhile. It is
    /// written to a temporary file next to `destination` and renamed into place, so a reader of `destination`
    /// never sees half a backup. The copying runs on its own thread, off Swift's cooperative pool.
    ///
    /// - Throws: `EngineError(.invalidInput)` for a relative path or a missing directory, `.conflict` when the
    ///   file exists, `.internal` when SQLite or the file system fails (the message says which).
    public func backup(toNewFile destination: String) async throws -> Int {
        guard destination.hasPrefix("/") else {
            throw EngineError(.invalidInput, "backup path '\(destination)' must be absolute")
        }
        let directory = (destination as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EngineError(
                .invalidInput,
                "cannot write backup \(destination): directory \(directory) does not exist"
            )
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw EngineError(.conflict, "backup file \(destination) already exists; remove it or choose another name")
        }
        let temporary = destination + ".partial-\(UUID().uuidString.prefix(8))"
        let writer = self.writer
        do {
            try await Self.offPool {
                // The queue is closed when this scope ends, before the rename below.
                let target = try DatabaseQueue(path: temporary)
                try writer.backup(to: target)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw EngineError(.internal, "backup to \(destination) failed: \(error)")
        }
        guard rename(temporary, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw EngineError(.internal, "backup to \(destination) failed: cannot rename the finished copy: \(reason)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int) ?? 0
        return size
    }

    /// Runs blocking `work` on a dispatch thread and waits for it without holding a cooperative thread.
    private static func offPool(_ work: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
