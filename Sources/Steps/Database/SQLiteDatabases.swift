import Engine
import Foundation
import GRDB
import Synchronization

/// The named SQLite databases of the configuration's `databases:` block, each opened on first use and kept
/// open (one serialized connection per database, so statements to one database run one at a time).
final class SQLiteDatabases: Sendable {
    private let configurations: [String: DatabaseConfiguration]
    private let open = Mutex<[String: DatabaseQueue]>([:])
    /// How long a statement waits for another process's lock before failing as busy.
    static let busyTimeout = 5.0

    init(_ configurations: [String: DatabaseConfiguration]) {
        self.configurations = configurations
    }

    /// The connection for `name`, opening it when needed.
    func queue(named name: String) throws -> (DatabaseQueue, DatabaseConfiguration) {
        guard let configuration = self.configurations[name] else {
            let known = self.configurations.keys.sorted()
            let hint = known.isEmpty ? "the configuration has no 'databases:'" : "known: \(known.joined(separator: ", "))"
            throw StepFailure("no database named '\(name)' in the configuration (\(hint))", retryable: false)
        }
        return try self.open.withLock { open in
            if let queue = open[name] { return (queue, configuration) }
            // A misspelt path must not quietly create an empty database.
            guard FileManager.default.fileExists(atPath: configuration.path) else {
                throw StepFailure("database '\(name)': the file \(configuration.path) does not exist", retryable: false)
            }
            var options = Configuration()
            options.readonly = configuration.readOnly
            options.busyMode = .timeout(Self.busyTimeout)
            options.label = "triggerd.database.\(name)"
            do {
                let queue = try DatabaseQueue(path: configuration.path, configuration: options)
                open[name] = queue
                return (queue, configuration)
            } catch let error as DatabaseError {
                throw StepFailure(
                    "database '\(name)' (\(configuration.path)): cannot open: \(error.message ?? "\(error.resultCode)")",
                    retryable: false)
            }
        }
    }
}
