import Logging

extension RunEngine {
    /// One log line per committed run or step event, with `run.id`, `workflow`, `step`, `attempt` and `error` as
    /// metadata (never in the message). Failures log at warning, run starts and ends at info, the rest at debug.
    /// Errors are already masked by the engine's redactor, and the log handler masks secrets again.
    func log(_ events: [RunEvent]) {
        for event in events {
            let level = Self.logLevel(event.type)
            // Below the logger's level nothing is built: this runs for every committed event.
            guard level >= self.logger.logLevel else { continue }
            var metadata: Logger.Metadata = [LogKey.runID: "\(event.runID)", LogKey.workflow: "\(event.workflow)"]
            if let step = event.step { metadata[LogKey.step] = "\(step)" }
            if let attempt = event.attempt { metadata[LogKey.attempt] = "\(attempt)" }
            if let error = event.error { metadata[LogKey.error] = "\(error)" }
            let message: Logger.Message
            switch event.type {
            case .runStarted: message = "Run started"
            case .runCompleted: message = "Run completed"
            case .runFailed: message = "Run failed"
            case .runCancelled: message = "Run cancelled"
            case .stepFailed: message = "Step failed"
            case .stepRetrying: message = "Step failed; retrying"
            case .runWaiting, .runResumed, .stepStarted, .stepCompleted, .stepSkipped, .stepWaiting:
                metadata[LogKey.event] = "\(event.type.rawValue)"
                message = "Run event"
            }
            self.logger.log(level: level, message, metadata: metadata)
        }
    }

    /// Failures at warning, retries at notice, run starts and ends at info, the rest at debug.
    static func logLevel(_ type: RunEvent.Kind) -> Logger.Level {
        switch type {
        case .runFailed, .stepFailed: return .warning
        case .stepRetrying: return .notice
        case .runStarted, .runCompleted, .runCancelled: return .info
        case .runWaiting, .runResumed, .stepStarted, .stepCompleted, .stepSkipped, .stepWaiting: return .debug
        }
    }
}
