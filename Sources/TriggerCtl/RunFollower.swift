import Engine

/// Follows one run's events over Server-Sent Events until the run ends (`run --wait`, `logs -f`).
///
/// The stream replays the run's stored events before live ones, so a run that already ended still
/// yields its whole log and its final event. As a safety net for a stream that closes early, or a
/// final event that never comes, the run is also polled every `pollInterval`.
struct RunFollower: Sendable {
    let connection: any DaemonConnection
    let runID: String
    /// Seconds between polls of `GET /v1/runs/{id}`.
    var pollInterval: Double = 2

    /// Calls `onEvent` with each event of the run, in order, until the run has ended; returns the final
    /// run object.
    ///
    /// - Throws: `CtlFailure` when the daemon cannot be reached or refuses (e.g. unknown run).
    func follow(onEvent: @escaping @Sendable (JSONValue) -> Void) async throws -> JSONValue {
        let connection = self.connection
        let runID = self.runID
        let interval = self.pollInterval
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                var ended = false
                try await connection.stream(.eventStream(run: runID)) { event in
                    guard let value = try? JSONValue.parse(event.data), value["run_id"]?.stringValue == runID
                    else { return true }
                    onEvent(value)
                    ended = EventLine.ends(value, run: runID)
                    return !ended
                }
                return ended
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: .seconds(interval))
                    // A failed poll is not fatal: the stream reports real connection problems.
                    if let run = try? await connection.json(.run(runID)), Self.isFinished(run) { return true }
                }
            }
            // The stream closing without a final event is not the end: keep polling.
            while let ended = try await group.next() {
                if ended { break }
            }
            group.cancelAll()
        }
        return try await connection.json(.run(runID))
    }

    /// True when the run object's status is terminal.
    static func isFinished(_ run: JSONValue) -> Bool {
        guard let status = run["status"]?.stringValue.flatMap(RunStatus.init(rawValue:)) else { return false }
        return status.isTerminal
    }

    /// What a finished run means for the exit code: nothing for `completed`, else exit 1 with its error.
    static func outcome(_ run: JSONValue) -> CtlFailure? {
        let id = run["id"]?.stringValue ?? "?"
        let status = run["status"]?.stringValue ?? "unknown"
        if status == "completed" { return nil }
        var message = "run \(id) \(status)"
        if let error = RunView.errorText(run["error"]) { message += ": \(error)" }
        return .failed(message)
    }
}
