public import Foundation
import GRDB
import Synchronization

/// The SQLite database of the daemon: runs, steps, events, schedule ledger, deliveries, waits.
///
/// GRDB stays inside Engine: callers see Engine types only. Writes go through `WriteBatcher`, which commits
/// concurrent writers together in one transaction (group commit) so durability does not cost one fsync each.
public final class Store: Sendable {
    let writer: any DatabaseWriter
    let batcher: WriteBatcher
    /// File path, or nil for an in-memory store.
    public let path: String?

    /// Opens (creating if needed) the database at `path` in WAL mode with full fsync on commit.
    public convenience init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        // A daemon's reads are small and few: two readers with a 2 MiB page cache each keep idle memory low.
        config.maximumReaderCount = 2
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.execute(sql: "PRAGMA cache_size = -2048")
            // Savepoint sub-journals (one per group-commit operation) stay in memory: as temp files they cost
            // ~70 KB of write syscalls per webhook delivery (3.1 GB per 10 s of `bench/webhook.sh` load).
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        let pool = try DatabasePool(path: path, configuration: config)
        try Self.backUpBeforeUpgrade(pool, path: path)
        try self.init(writer: pool, path: path)
    }

    /// Copies a database written by an older release before its schema is upgraded, next to it as
    /// `triggerd.db.before-SCHEMA` (SCHEMA: the migrations it had), so a downgrade has something to go back to.
    /// A new database, or one that is up to date, is not copied.
    static func backUpBeforeUpgrade(_ pool: DatabasePool, path: String) throws {
        let migrator = StoreSchema.migrator
        let applied = try pool.read { db in try migrator.appliedMigrations(db) }
        guard !applied.isEmpty, try pool.read({ db in try !migrator.hasCompletedMigrations(db) }) else { return }
        let target = "\(path).before-v\(applied.count)"
        guard !FileManager.default.fileExists(atPath: target) else { return }
        try pool.backup(to: try DatabaseQueue(path: target))
    }

    /// An in-memory store for tests and `triggerctl test`.
    public static func inMemory() throws -> Store {
        var config = Configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA foreign_keys = ON") }
        return try Store(writer: DatabaseQueue(configuration: config), path: nil)
    }

    init(writer: any DatabaseWriter, path: String?) throws {
        self.writer = writer
        self.path = path
        self.batcher = WriteBatcher(writer: writer)
        try StoreSchema.migrator.migrate(writer)
    }

    /// Runs `body` in a write transaction shared with other concurrent writers.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await self.batcher.submit(body)
    }

    /// Write transactions committed since the store was opened.
    public var commits: Int { self.batcher.counters.commits.load(ordering: .relaxed) }

    /// Write operations those transactions carried (`commits` divides it into the mean batch).
    public var writeOperations: Int { self.batcher.counters.operations.load(ordering: .relaxed) }

    /// Runs `body` on a read snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await self.writer.read(body)
    }

    /// Copies the live database to `destination` with SQLite's online backup (`triggerctl backup`).
    public func backup(to destination: String) async throws {
        let target = try DatabaseQueue(path: destination)
        try await self.writer.backup(to: target)
    }
}

/// Group commit: concurrent `submit` calls share one transaction.
///
/// The first caller to arrive while no commit is running becomes the leader and commits everything queued,
/// looping while more arrives; the others wait for their result. One failing operation does not undo the
/// others: a batch where one throws is rolled back and run again with each operation in its own savepoint.
actor WriteBatcher {
    private typealias Operation = @Sendable (Database) throws -> any Sendable
    private struct Pending {
        let operation: Operation
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    private let writer: any DatabaseWriter
    private var queue: [Pending] = []
    private var leading = false
    /// Transactions committed and operations they carried, since start (`triggerd_store_*` metrics): their
    /// ratio is the mean group-commit batch.
    nonisolated let counters = Counters()

    /// Read without hopping onto the actor (metrics scrapes).
    final class Counters: Sendable {
        let commits = Atomic<Int>(0)
        let operations = Atomic<Int>(0)
    }

    init(writer: any DatabaseWriter) { self.writer = writer }

    /// Writes waiting for the next commit (tests use it to know a batch has formed).
    var queued: Int { self.queue.count }

    func submit<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result: any Sendable = try await withCheckedThrowingContinuation { continuation in
            self.queue.append(Pending(operation: { db in try body(db) }, continuation: continuation))
            if !self.leading {
                self.leading = true
                // The leader's own submit stays suspended on its continuation; the flush runs on this actor.
                Task { await self.flush() }
            }
        }
        guard let typed = result as? T else { throw EngineError(.internal, "store returned an unexpected type") }
        return typed
    }

    private func flush() async {
        while !self.queue.isEmpty {
            let batch = self.queue
            self.queue = []
            self.counters.commits.wrappingAdd(1, ordering: .relaxed)
            self.counters.operations.wrappingAdd(batch.count, ordering: .relaxed)
            let operations = batch.map(\.operation)
            let outcome = await self.commit(operations)
            switch outcome {
            case .success(let results):
                for (pending, result) in zip(batch, results) { pending.continuation.resume(with: result) }
            case .failure(let error):
                for pending in batch { pending.continuation.resume(throwing: error) }
            }
        }
        self.leading = false
    }
}

extension WriteBatcher {
    /// Commits `operations` in one transaction and returns each one's result, or the error that sank them all.
    ///
    /// First without savepoints: almost every batch commits whole, and a savepoint per operation cost 5 % of a
    /// webhook delivery's instructions (two statements each, plus a sub-journal copy of every page it touched).
    /// When an operation throws, that transaction is rolled back and the batch runs again with each operation
    /// in its own savepoint, so only the failing ones fail. Operations only touch the database, so running one
    /// twice this way is the same as running it once.
    private func commit(_ operations: [Operation]) async -> Result<[Result<any Sendable, any Error>], any Error> {
        do {
            let values = try await self.writer.write { db -> [SendableResult] in
                try operations.map { operation in SendableResult(value: try operation(db), error: nil) }
            }
            return .success(values.map { .success($0.value ?? ()) })
        } catch {
            // One operation: its error is the answer. More: find out which ones fail (the isolating pass also
            // reports a failure of the transaction itself).
            if operations.count == 1 { return .success([.failure(error)]) }
        }
        do {
            let results = try await self.writer.write { db -> [SendableResult] in
                var results: [SendableResult] = []
                for operation in operations {
                    var value: (any Sendable)?
                    do {
                        try db.inSavepoint {
                            value = try operation(db)
                            return .commit
                        }
                        results.append(SendableResult(value: value, error: nil))
                    } catch {
                        results.append(SendableResult(value: nil, error: error))
                    }
                }
                return results
            }
            return .success(results.map { r in r.error.map { .failure($0) } ?? .success(r.value ?? ()) })
        } catch {
            return .failure(error)
        }
    }
}

/// One operation's result carried out of the write closure.
private struct SendableResult: Sendable {
    let value: (any Sendable)?
    let error: (any Error)?
}
