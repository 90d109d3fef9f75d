import Engine
import Synchronization

/// The secret values the log handlers mask, shared by every handler so that a reload of the secrets reaches
/// them (`LoggingSystem` makes its handlers once, at start).
///
/// Values only accumulate: a secret rotated out may still appear in a line about a run that began before the
/// reload, so it stays masked for the life of the process.
final class LogRedaction: Sendable {
    private let state: Mutex<(values: Set<String>, redactor: Redactor)>

    init(secrets: some Sequence<String>) {
        let values = Set(secrets)
        self.state = Mutex((values, Redactor(secrets: values)))
    }

    /// Adds the values of a reload to those masked.
    func update(secrets: some Sequence<String>) {
        self.state.withLock { state in
            state.values.formUnion(secrets)
            state.redactor = Redactor(secrets: state.values)
        }
    }

    func redact(_ text: String) -> String {
        self.state.withLock { $0.redactor }.redact(text)
    }
}
