import Logging

extension RunEngine {
    /// One log line per committed run or step event, with `run.id`, `workflow`, `step`, `attempt` and `error` as
    /// metadata (never in the message). Failures log at warning, run starts and ends at info, the rest at debug.
    /// Errors are already masked by the engine's redactor, and the log handler masks secrets again.
    func log(_ events: [RunEvent]) {
        for event in events {
            var metadata: Logger.Metadata = [LogKey.runID: "\(event.runID)", LogKey.workflow: "\(event.workflow)"]
            if let step = event.step { metadata[LogKey.step] = "\(step)" }
            if let attempt = event.attempt { metadata[LogKey.attempt] = "\(attempt)" }
            if let error = event.error { metadata[LogKey.error] = "\(error)" }
            switch event.type {
            case .runStarted: self.logger.info("Run started", metadata: metadata)
            case .runCompleted: self.logger.info("Run completed", metadata: metadata)
            case .runFailed: self.logger.warning("Run failed", metadata: metadata)
            case .runCancelled: self.logger.info("Run cancelled", metadata: metadata)
            case .stepFailed: self.logger.warning("Step failed", metadata: metadata)
            case .stepRetrying: self.logger.notice("Step failed; retrying", metadata: metadata)
            case .runWaiting, .runResumed, .stepStarted, .stepCompleted, .stepSkipped, .stepWaiting:
                metadata[LogKey.event] = "\(event.type.rawValue)"
                self.logger.debug("Run event", metadata: metadata)
            }
        }
    }
}
