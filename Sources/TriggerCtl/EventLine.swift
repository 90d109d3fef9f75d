import Engine

/// One run event (SPEC §7) as a line of `logs`, `watch` and `run --wait` output.
///
/// Streams cannot be aligned as a table (later events may be wider), so columns have fixed widths:
/// `2026-11-26T09:00:01Z  ✓ step.completed  01JD…  deploy  fetch (attempt 1)`.
enum EventLine {
    /// The event types that end a run.
    static let terminalTypes: Set<String> = ["run.completed", "run.failed", "run.cancelled"]

    /// The status an event type reports, for its symbol: `step.retrying` → `retrying`.
    static func status(ofType type: String) -> String {
        switch type.split(separator: ".").last.map(String.init) ?? "" {
        case "started", "resumed": "running"
        case let other: other
        }
    }

    /// The line for `event`; `showRun` adds the run id and workflow (for `watch`, which mixes runs).
    static func render(_ event: JSONValue, showRun: Bool, palette: Palette) -> String {
        let type = event["type"]?.stringValue ?? "event"
        let status = Self.status(ofType: type)
        let time = event["at"]?.stringValue.map { HumanTime.timestamp($0) } ?? ""
        var line =
            time + "  " + palette.mark(status) + " " + palette.paint(type, Palette.mark(forStatus: status).style)
            + String(repeating: " ", count: max(0, 14 - type.count))
        if showRun {
            line += "  " + (event["run_id"]?.stringValue ?? "") + "  " + (event["workflow"]?.stringValue ?? "")
        }
        if let step = event["step"]?.stringValue {
            line += "  " + step
            if let attempt = event["attempt"]?.intValue { line += " (attempt \(attempt))" }
        }
        if let error = RunView.errorText(event["error"]) {
            line += "  " + palette.paint("error: " + error, .red)
        }
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }

    /// True when `event` ends the run `runID`.
    static func ends(_ event: JSONValue, run runID: String) -> Bool {
        guard let type = event["type"]?.stringValue else { return false }
        return Self.terminalTypes.contains(type) && event["run_id"]?.stringValue == runID
    }
}
