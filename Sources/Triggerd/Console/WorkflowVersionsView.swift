import Engine
import Foundation

/// The versions section of `/workflows/{name}`: the stored versions newest first (`table#versions`, the current one
/// marked), a GET form picking two (`?from=&to=`, so a diff is a permalink) and, when both are picked, the line
/// diff of their sources (`table#diff`) with three lines of context around each change.
struct WorkflowVersionsView {
    let workflow: String
    let versions: [WorkflowVersion]
    /// The two versions to compare, with their sources.
    let diff: (from: WorkflowVersion, to: WorkflowVersion)?

    /// Lines of unchanged context around each change.
    static let context = 3

    func render() -> String {
        var html = "<section id=\"versions\"><h2>Versions</h2>"
        guard !self.versions.isEmpty else {
            return html + "<p class=\"empty\">No stored versions yet.</p></section>"
        }
        let rows = self.versions.map { v -> String in
            let mark = v.current ? " <span class=\"badge s-completed\">current</span>" : ""
            return """
                <tr data-version="\(HTML.escape(v.version))"\(v.current ? " data-current" : "")>\
                <td><code>\(HTML.escape(Self.short(v.version)))</code>\(mark)</td>\
                <td>\(HTML.time(v.firstLoadedAt))</td><td><code>\(HTML.escape(v.file))</code></td></tr>
                """
        }.joined(separator: "\n")
        html += """
            <div class="scroll"><table id="versions-table"><thead><tr><th>Version</th><th>First loaded (UTC)</th>\
            <th>File</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
        if self.versions.count > 1 { html += self.pickForm() }
        html += "<p class=\"muted\">In a terminal: <code>triggerctl workflows versions \(HTML.escape(HTML.shellWord(self.workflow)))</code></p>"
        if let diff = self.diff { html += Self.diffTable(from: diff.from, to: diff.to, workflow: self.workflow) }
        return html + "</section>"
    }

    /// Two selects over the versions; by default the one before the newest against the newest.
    private func pickForm() -> String {
        let from = self.diff?.from.version ?? self.versions[1].version
        let to = self.diff?.to.version ?? self.versions[0].version
        func select(_ name: String, _ chosen: String) -> String {
            let options = self.versions.map { v in
                let selected = v.version == chosen ? " selected" : ""
                let label = Self.short(v.version) + " · " + Self.shortTime(v.firstLoadedAt) + (v.current ? " (current)" : "")
                return "<option value=\"\(HTML.escape(v.version))\"\(selected)>\(HTML.escape(label))</option>"
            }.joined()
            return "<select name=\"\(name)\">\(options)</select>"
        }
        return """
            <form method="get" action="/workflows/\(HTML.segment(self.workflow))#diff" class="filters" id="diff-form">\
            <label>From \(select("from", from))</label><label>To \(select("to", to))</label>\
            <button type="submit">Show diff</button></form>
            """
    }

    /// `table#diff`: hunk headers, then each line with its old and new numbers; removed and added lines coloured.
    static func diffTable(from: WorkflowVersion, to: WorkflowVersion, workflow: String) -> String {
        let diff = LineDiff(old: from.source ?? "", new: to.source ?? "")
        var html = """
            <h3 id="diff">Diff <code>\(HTML.escape(self.short(from.version)))</code> → \
            <code>\(HTML.escape(self.short(to.version)))</code> \
            <span class="muted">(\(diff.removed) removed, \(diff.added) added)</span></h3>
            """
        let hunks = diff.hunks(context: self.context)
        if hunks.isEmpty {
            html += "<p class=\"empty\">The two versions have the same lines.</p>"
        } else {
            var rows = ""
            for hunk in hunks {
                rows += "<tr class=\"d-hunk\"><td colspan=\"4\">\(HTML.escape(hunk.header))</td></tr>"
                for line in hunk.lines {
                    let mark = line.kind == .added ? "+" : line.kind == .removed ? "-" : " "
                    rows += """
                        <tr class="d-\(line.kind.rawValue)"><td class="ln">\(line.oldNumber.map(String.init) ?? "")</td>\
                        <td class="ln">\(line.newNumber.map(String.init) ?? "")</td><td class="mark">\(mark)</td>\
                        <td class="text">\(HTML.escape(line.text))</td></tr>
                        """
                }
            }
            html += "<div class=\"scroll\"><table id=\"diff-table\" class=\"diff\"><tbody>\(rows)</tbody></table></div>"
        }
        let command =
            "triggerctl workflows diff \(HTML.shellWord(workflow)) \(self.short(from.version)) \(self.short(to.version))"
        return html + "<p class=\"muted\">In a terminal: <code>\(HTML.escape(command))</code></p>"
    }

    /// The 12 characters `triggerctl workflows` shows.
    static func short(_ version: String) -> String { String(version.prefix(12)) }

    static func shortTime(_ date: Date) -> String {
        String(Timestamp.format(date).prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}
