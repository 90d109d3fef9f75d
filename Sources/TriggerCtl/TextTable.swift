/// An aligned text table: a header row, then rows of cells padded to the widest cell of each column.
///
/// Widths are measured on the plain text, so styled (ANSI) cells still line up. The last column is not
/// padded and no line ends in spaces.
struct TextTable {
    /// One cell: the text that is measured, and what is printed (the same text, possibly styled).
    struct Cell: ExpressibleByStringLiteral {
        var text: String
        var rendered: String

        init(_ text: String, rendered: String? = nil) {
            self.text = text
            self.rendered = rendered ?? text
        }

        init(stringLiteral value: String) { self.init(value) }
    }

    private let header: [String]
    private var rows: [[Cell]] = []
    /// Indexes of columns aligned right (numbers).
    var rightAligned: Set<Int> = []

    /// A table with these column titles; an empty array makes a table without a header row.
    init(_ header: [String]) { self.header = header }

    var isEmpty: Bool { self.rows.isEmpty }

    mutating func add(_ cells: [Cell]) { self.rows.append(cells) }

    mutating func add(_ texts: [String]) { self.rows.append(texts.map { Cell($0) }) }

    /// The table as lines joined by newlines, with a final newline (empty string for no rows and no header).
    func render(_ palette: Palette = .plain) -> String {
        var all: [[Cell]] = []
        if !self.header.isEmpty {
            all.append(self.header.map { Cell($0, rendered: palette.paint($0, .bold)) })
        }
        all += self.rows
        let columns = all.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.text.count) }
        }
        var out = ""
        for row in all {
            var line = ""
            for (index, cell) in row.enumerated() {
                let gap = String(repeating: " ", count: max(0, widths[index] - cell.text.count))
                let isLast = index == row.count - 1
                if index > 0 { line += "  " }
                if self.rightAligned.contains(index) {
                    line += gap + cell.rendered
                } else {
                    line += cell.rendered + (isLast ? "" : gap)
                }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
