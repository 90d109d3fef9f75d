import Foundation

/// Feeds run and step metrics from the engine: step attempt durations from the live event stream, runs by
/// status and runs started from the store at scrape time.
///
/// ```swift
/// let recorder = RunMetricsRecorder(engine: engine, metrics: metrics)
/// await recorder.run()   // until the task is cancelled or the engine shuts down
/// ```
public struct RunMetricsRecorder: Sendable {
    let engine: RunEngine
    let metrics: Metrics
    /// Attempts still open are forgotten beyond this many (events dropped under overload must not grow memory).
    static let openAttemptLimit = 100_000

    /// Registers the scrape-time collector for runs by status; `run()` records step durations.
    public init(engine: RunEngine, metrics: Metrics) {
        self.engine = engine
        self.metrics = metrics
        metrics.addCollector { [engine] metrics in
            guard let counts = try? await engine.runCounts() else { return }
            metrics.reset(MetricName.runs)
            for status in RunStatus.allCases {
                metrics.set(MetricName.runs, ["status": status.rawValue], to: Double(counts[status] ?? 0))
            }
            metrics.set(MetricName.runsStarted, to: Double(await engine.runsStarted))
            metrics.set(MetricName.storeCommits, to: Double(engine.store.commits))
            metrics.set(MetricName.storeWrites, to: Double(engine.store.writeOperations))
        }
    }

    /// Observes step attempts until the task is cancelled or the engine ends its streams.
    public func run() async {
        let events = await self.engine.subscribe(runID: nil)
        var started: [String: (at: Date, kind: String)] = [:]
        // Step types by workflow and step id, asked of the engine once each (not once per attempt).
        var kinds: [String: String] = [:]
        for await event in events {
            guard let step = event.step else { continue }
            let key = event.runID + "\u{0}" + step
            switch event.type {
            case .stepStarted:
                if started.count >= Self.openAttemptLimit { started.removeAll() }
                let kindKey = event.workflow + "\u{0}" + step
                var kind = kinds[kindKey]
                if kind == nil {
                    kind = await self.stepKind(workflow: event.workflow, step: step)
                    kinds[kindKey] = kind
                }
                started[key] = (event.at, kind ?? "unknown")
            case .stepCompleted, .stepFailed, .stepRetrying:
                guard let open = started.removeValue(forKey: key) else { continue }
                let status = event.type == .stepCompleted ? "completed" : "failed"
                self.metrics.observe(
                    MetricName.stepDuration, ["type": open.kind, "status": status],
                    max(0, event.at.timeIntervalSince(open.at)))
            case .stepWaiting, .stepSkipped:
                started.removeValue(forKey: key)
            default:
                continue
            }
        }
    }

    private func stepKind(workflow: String, step: String) async -> String {
        await self.engine.workflow(named: workflow)?.steps[step]?.type ?? "unknown"
    }
}
