import Synchronization

/// Callbacks told about every step attempt that ran in this process when it ends (metrics).
///
/// ```swift
/// engine.stepObservers.add { attempt in histogram.observe(attempt.type, attempt.seconds) }
/// ```
///
/// Observers run on the engine's executor, so they must be quick and must not block.
public final class StepObservers: Sendable {
    /// One ended attempt: its step type, whether it succeeded (a retried attempt did not), and how long it took.
    public struct Attempt: Sendable {
        public let type: String
        public let succeeded: Bool
        public let seconds: Double
    }

    public typealias Observer = @Sendable (Attempt) -> Void

    private let observers = Mutex<[Observer]>([])

    public init() {}

    /// Adds an observer for every attempt that ends from now on.
    public func add(_ observer: @escaping Observer) {
        self.observers.withLock { $0.append(observer) }
    }

    func notify(_ attempt: Attempt) {
        let current = self.observers.withLock { $0 }
        for observer in current { observer(attempt) }
    }

    var isEmpty: Bool { self.observers.withLock { $0.isEmpty } }
}
