import Synchronization

/// Fans committed run events out to live subscribers (SSE streams, `run --wait`, sync webhooks).
final class EventBroadcaster: Sendable {
    private struct State {
        var subscribers: [UInt64: Subscriber] = [:]
        var nextID: UInt64 = 0
    }

    private struct Subscriber {
        let runID: String?
        /// Only these kinds are delivered (nil: all): a stream wakes its consumer once per event it yields.
        let kinds: Set<RunEvent.Kind>?
        /// Only events of the workflows named here at publish time are delivered (nil: all).
        let workflows: WorkflowFilter?
        let continuation: AsyncStream<RunEvent>.Continuation

        func wants(_ event: RunEvent) -> Bool {
            (self.runID == nil || self.runID == event.runID) && (self.kinds?.contains(event.type) ?? true)
                && (self.workflows?.contains(event.workflow) ?? true)
        }
    }

    /// A set of workflow names its owner changes while subscribed; checked as each event is published.
    final class WorkflowFilter: Sendable {
        private let names = Mutex<Set<String>>([])

        func set(_ names: Set<String>) { self.names.withLock { $0 = names } }

        func contains(_ name: String) -> Bool { self.names.withLock { $0.contains(name) } }
    }

    private let state = Mutex(State())

    /// A stream of future events (of one run, or all; of the given kinds, or all). Ends when the consumer stops
    /// iterating.
    func subscribe(runID: String?, kinds: Set<RunEvent.Kind>? = nil, workflows: WorkflowFilter? = nil)
        -> AsyncStream<RunEvent>
    {
        let (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self, bufferingPolicy: .bufferingNewest(10_000))
        let id = self.state.withLock { state -> UInt64 in
            state.nextID += 1
            state.subscribers[state.nextID] = Subscriber(
                runID: runID, kinds: kinds, workflows: workflows, continuation: continuation)
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    func publish(_ events: [RunEvent]) {
        guard !events.isEmpty else { return }
        let targets = self.state.withLock { Array($0.subscribers.values) }
        for event in events {
            for target in targets where target.wants(event) {
                target.continuation.yield(event)
            }
        }
    }

    var subscriberCount: Int { self.state.withLock { $0.subscribers.count } }

    /// Ends every stream (shutdown).
    func finishAll() {
        let targets = self.state.withLock { state -> [AsyncStream<RunEvent>.Continuation] in
            let all = state.subscribers.values.map(\.continuation)
            state.subscribers.removeAll()
            return all
        }
        for c in targets { c.finish() }
    }
}
