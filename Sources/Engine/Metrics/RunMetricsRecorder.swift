import Foundation

/// Feeds run and step metrics from the engine: step attempt durations as each attempt ends, runs by status and
/// runs started from the store at scrape time.
///
/// ```swift
/// RunMetricsRecorder.register(engine: engine, metrics: metrics)   // nothing to run afterwards
/// ```
///
/// Register once per `Metrics`: each call adds its own collector and observer.
public enum RunMetricsRecorder {
    /// Registers the scrape-time collector for runs by status and the engine observer for step durations.
    public static func register(engine: RunEngine, metrics: Metrics) {
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
        // Called by the engine as each attempt ends, on its own executor: a histogram update under a lock. (It
        // used to follow the event stream, which cost a task switch per event: 11 % of a webhook delivery's
        // instructions under callgrind.)
        engine.stepObservers.add { [metrics] attempt in
            metrics.observe(
                MetricName.stepDuration, ["type": attempt.type, "status": attempt.succeeded ? "completed" : "failed"],
                attempt.seconds)
        }
    }
}
