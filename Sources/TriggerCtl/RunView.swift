import Engine
import Foundation

/// What `triggerctl show RUN` prints: the run's facts, its steps drawn as a graph, then errors and
/// approval decisions.
enum RunView {
    /// The whole view of a run object (SPEC §8 shape), ending in a newline.
    static func render(_ run: JSONValue, palette: Palette, now: Date) -> String {
        var out = self.header(run, palette: palette, now: now)
        out += "\n" + palette.paint("steps", .bold) + "\n"
        out += self.steps(run["steps"]?.arrayValue ?? [], palette: palette, now: now)
        let errors = self.errors(run)
        if !errors.isEmpty {
            out += "\n" + palette.paint("errors", .bold) + "\n" + errors.render(palette)
        }
        let decisions = self.decisions(run["decisions"]?.arrayValue ?? [], palette: palette)
        if !decisions.isEmpty {
            out += "\n" + palette.paint("decisions", .bold) + "\n" + decisions.render(palette)
        }
        return out
    }

    private static func header(_ run: JSONValue, palette: Palette, now: Date) -> String {
        var table = TextTable([])
        let status = run["status"]?.stringValue ?? "unknown"
        table.add(["run", self.text(run["id"])])
        var workflow = self.text(run["workflow"])
        if let version = run["version"]?.stringValue, !version.isEmpty { workflow += " (version \(version))" }
        table.add(["workflow", workflow])
        table.add([
            "status",
            TextTable.Cell(
                "\(Palette.mark(forStatus: status).symbol) \(status)",
                rendered: "\(palette.mark(status)) \(palette.status(status))"
            ),
        ])
        if let trigger = run["trigger"], trigger != .null { table.add(["trigger", self.trigger(trigger)]) }
        for (label, key) in [("created", "created_at"), ("started", "started_at"), ("ended", "ended_at")] {
            if let time = run[key]?.stringValue { table.add([label, HumanTime.timestamp(time)]) }
        }
        let ended = run["ended_at"]?.stringValue
        if let seconds = HumanTime.elapsed(from: run["started_at"]?.stringValue, to: ended, now: now) {
            table.add(["duration", HumanTime.duration(seconds) + (ended == nil ? " so far" : "")])
        }
        return table.render(palette)
    }

    /// `cron scheduled_at=2026-11-26T09:00:00Z`: the type, then its other plain fields in key order.
    static func trigger(_ trigger: JSONValue) -> String {
        guard let fields = trigger.objectValue else { return trigger.interpolated }
        var parts = [fields["type"]?.stringValue ?? "unknown"]
        // `body` and `raw_body` are the payload (a text body is a string too): like headers, they belong to `--json`.
        for key in fields.keys.sorted() where !["type", "body", "raw_body"].contains(key) {
            guard let value = fields[key] else { continue }
            switch value {
            case .string(let text): parts.append("\(key)=\(key.hasSuffix("_at") ? HumanTime.timestamp(text) : text)")
            case .number, .bool: parts.append("\(key)=\(value.jsonString())")
            default: continue  // payloads and headers belong to `--json`
            }
        }
        return parts.joined(separator: " ")
    }

    /// The step graph as an aligned table: tree prefix, symbol and id; type; status; attempts; duration.
    static func steps(_ steps: [JSONValue], palette: Palette, now: Date) -> String {
        guard !steps.isEmpty else { return "  (no steps)\n" }
        let graph = RunGraph(
            steps: steps.map { step in
                (id: self.text(step["id"]), needs: (step["needs"]?.arrayValue ?? []).compactMap(\.stringValue))
            }
        )
        var table = TextTable([])
        for row in graph.rows {
            let step = steps[row.step]
            let id = self.text(step["id"])
            let status = step["status"]?.stringValue ?? "unknown"
            let symbol = Palette.mark(forStatus: status).symbol
            let attempts = step["attempts"]?.intValue ?? 0
            let ended = step["ended_at"]?.stringValue
            var duration = ""
            if let seconds = HumanTime.elapsed(from: step["started_at"]?.stringValue, to: ended, now: now) {
                duration = HumanTime.duration(seconds) + (ended == nil ? "…" : "")
            }
            table.add([
                TextTable.Cell(row.prefix + symbol + " " + id, rendered: row.prefix + palette.mark(status) + " " + id),
                TextTable.Cell(step["type"]?.stringValue ?? ""),
                TextTable.Cell(status, rendered: palette.status(status)),
                TextTable.Cell(attempts == 0 ? "" : attempts == 1 ? "1 attempt" : "\(attempts) attempts"),
                TextTable.Cell(duration),
                TextTable.Cell(
                    row.otherNeeds.isEmpty ? "" : "(also needs \(row.otherNeeds.joined(separator: ", ")))",
                    rendered: row.otherNeeds.isEmpty
                        ? "" : palette.paint("(also needs \(row.otherNeeds.joined(separator: ", ")))", .dim)
                ),
            ])
        }
        return table.render(palette)
    }

    private static func errors(_ run: JSONValue) -> TextTable {
        var table = TextTable([])
        if let error = self.errorText(run["error"]) { table.add(["  run", error]) }
        for step in run["steps"]?.arrayValue ?? [] {
            guard let error = self.errorText(step["error"]) else { continue }
            table.add(["  " + self.text(step["id"]), error])
        }
        return table
    }

    private static func decisions(_ decisions: [JSONValue], palette: Palette) -> TextTable {
        var table = TextTable([])
        for decision in decisions {
            let approved = decision["approved"]?.boolValue ?? false
            let status = approved ? "completed" : "failed"
            let verb = approved ? "approved" : "rejected"
            var who = decision["user"]?.stringValue ?? "someone"
            if let uid = decision["uid"]?.intValue { who += " (uid \(uid))" }
            var comment = ""
            if let text = decision["comment"]?.stringValue, !text.isEmpty { comment = "\"\(text)\"" }
            table.add([
                TextTable.Cell(
                    "  " + Palette.mark(forStatus: status).symbol + " " + verb,
                    rendered: "  " + palette.mark(status) + " " + verb
                ),
                TextTable.Cell(self.text(decision["step"])),
                TextTable.Cell("by " + who),
                TextTable.Cell(decision["at"]?.stringValue.map { HumanTime.timestamp($0) } ?? ""),
                TextTable.Cell(comment),
            ])
        }
        return table
    }

    /// An error field as one line: a string, an object's `message`, or compact JSON; nil when absent.
    static func errorText(_ value: JSONValue?) -> String? {
        guard let value, value != .null else { return nil }
        let text = value.stringValue ?? value["message"]?.stringValue ?? value.jsonString()
        let line = text.split(separator: "\n", omittingEmptySubsequences: true).joined(separator: " ↵ ")
        return line.isEmpty ? nil : line
    }

    private static func text(_ value: JSONValue?) -> String {
        guard let value, value != .null else { return "" }
        return value.stringValue ?? value.jsonString()
    }
}
