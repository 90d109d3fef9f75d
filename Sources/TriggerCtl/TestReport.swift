import Engine
import Foundation

/// What `triggerctl test` prints for people: a title line, the run as `show` draws it, then every output.
enum TestReport {
    /// Longest output printed on one line; longer ones are cut with `…` (`--json` has them whole).
    static let maxOutputWidth = 200

    static func print(
        _ run: JSONValue,
        outcome: OfflineRun.Outcome,
        file: String,
        mocked: [String],
        context: CtlContext
    ) {
        let palette = context.palette
        var title = "test \(run["workflow"]?.stringValue ?? "?") from \(file)"
        if !mocked.isEmpty { title += ", mocked: \(mocked.joined(separator: ", "))" }
        if outcome.clockAdvances > 0 {
            title += ", clock moved \(outcome.clockAdvances) time" + (outcome.clockAdvances == 1 ? "" : "s")
        }
        context.say(palette.paint(title, .bold))
        context.console.out(
            RunView.render(run, palette: palette, now: outcome.record.endedAt ?? outcome.record.createdAt)
        )
        context.console.out(self.outputs(run, palette: palette))
    }

    /// The `outputs` section: each step with an output, then the run's output.
    static func outputs(_ run: JSONValue, palette: Palette) -> String {
        var table = TextTable([])
        for step in run["steps"]?.arrayValue ?? [] {
            guard let output = step["output"], output != .null else { continue }
            table.add(["  " + (step["id"]?.stringValue ?? "?"), self.oneLine(output)])
        }
        if let output = run["output"], output != .null {
            table.add([
                TextTable.Cell("  (run)", rendered: palette.paint("  (run)", .dim)),
                TextTable.Cell(self.oneLine(output)),
            ])
        }
        guard !table.isEmpty else { return "" }
        return "\n" + palette.paint("outputs", .bold) + "\n" + table.render(palette)
    }

    /// Compact JSON, cut to `maxOutputWidth` characters.
    static func oneLine(_ value: JSONValue) -> String {
        let text = value.jsonString()
        guard text.count > self.maxOutputWidth else { return text }
        return String(text.prefix(self.maxOutputWidth - 1)) + "…"
    }
}
