/// A line diff of two texts: the longest common subsequence of their lines, found after the common head and tail
/// are set aside (an edit to a workflow file usually touches a few lines in the middle).
///
/// ```swift
/// let diff = LineDiff(old: "a\nb\n", new: "a\nc\n")
/// diff.hunks(context: 3)   // one hunk: " a", "-b", "+c"
/// ```
///
/// The middle is compared with a table of `old × new` cells; past `maxCells` it is shown as removed and added
/// whole rather than spending memory on a minimal answer.
public struct LineDiff: Sendable, Equatable {
    /// Largest `old × new` middle compared line by line (4 million cells: two files of 2,000 changed lines).
    public static let maxCells = 4_000_000

    public enum Kind: String, Sendable, Equatable {
        case same, removed, added
    }

    /// One line of the diff, with its 1-based number in the old text (`same`, `removed`) and in the new one
    /// (`same`, `added`).
    public struct Line: Sendable, Equatable {
        public var kind: Kind
        public var text: String
        public var oldNumber: Int?
        public var newNumber: Int?
    }

    /// A run of changes with up to `context` unchanged lines around it, as in a unified diff.
    public struct Hunk: Sendable, Equatable {
        public var lines: [Line]
        /// `@@ -1,4 +1,5 @@`.
        public var header: String {
            let old = self.lines.filter { $0.kind != .added }
            let new = self.lines.filter { $0.kind != .removed }
            func range(_ lines: [Line], _ number: (Line) -> Int?) -> String {
                guard let start = lines.first.flatMap(number) else {
                    // An empty side starts after the line before it, as `diff -u` writes it.
                    return "\(self.lines.first.flatMap(number) ?? 0),0"
                }
                return lines.count == 1 ? "\(start)" : "\(start),\(lines.count)"
            }
            return "@@ -\(range(old, \.oldNumber)) +\(range(new, \.newNumber)) @@"
        }
    }

    /// Every line of both texts in order.
    public let lines: [Line]

    public init(old: String, new: String) {
        self.lines = Self.diff(Self.split(old), Self.split(new))
    }

    /// True when the texts have the same lines.
    public var isEmpty: Bool { self.lines.allSatisfy { $0.kind == .same } }

    public var added: Int { self.lines.count { $0.kind == .added } }
    public var removed: Int { self.lines.count { $0.kind == .removed } }

    /// The changes with `context` unchanged lines before and after each; changes closer than twice that share
    /// a hunk.
    public func hunks(context: Int = 3) -> [Hunk] {
        let changed = self.lines.indices.filter { self.lines[$0].kind != .same }
        guard !changed.isEmpty else { return [] }
        var ranges: [ClosedRange<Int>] = []
        for index in changed {
            let range = max(0, index - context)...min(self.lines.count - 1, index + context)
            if let last = ranges.last, range.lowerBound <= last.upperBound + 1 {
                ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                ranges.append(range)
            }
        }
        return ranges.map { Hunk(lines: Array(self.lines[$0])) }
    }

    /// A unified diff (`--- old`, `+++ new`, hunks), as `diff -u` prints it; empty when nothing changed.
    public func unified(oldName: String, newName: String, context: Int = 3) -> String {
        let hunks = self.hunks(context: context)
        guard !hunks.isEmpty else { return "" }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        for hunk in hunks {
            out += hunk.header + "\n"
            for line in hunk.lines {
                let mark = switch line.kind {
                case .same: " "
                case .removed: "-"
                case .added: "+"
                }
                out += mark + line.text + "\n"
            }
        }
        return out
    }

    /// Lines without their terminators; a final newline does not make an empty last line.
    static func split(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    static func diff(_ old: [String], _ new: [String]) -> [Line] {
        var head = 0
        while head < old.count, head < new.count, old[head] == new[head] { head += 1 }
        var tail = 0
        while tail < old.count - head, tail < new.count - head, old[old.count - 1 - tail] == new[new.count - 1 - tail] {
            tail += 1
        }
        var out: [Line] = []
        for i in 0..<head { out.append(Line(kind: .same, text: old[i], oldNumber: i + 1, newNumber: i + 1)) }
        let a = Array(old[head..<(old.count - tail)])
        let b = Array(new[head..<(new.count - tail)])
        out += self.middle(a, b, oldOffset: head, newOffset: head)
        for k in 0..<tail {
            let i = old.count - tail + k
            let j = new.count - tail + k
            out.append(Line(kind: .same, text: old[i], oldNumber: i + 1, newNumber: j + 1))
        }
        return out
    }

    /// The LCS of `a` and `b` by dynamic programming over suffixes, then one walk from the start that prefers
    /// removals before additions (so a changed line reads `-old` then `+new`).
    private static func middle(_ a: [String], _ b: [String], oldOffset: Int, newOffset: Int) -> [Line] {
        let n = a.count
        let m = b.count
        var out: [Line] = []
        out.reserveCapacity(n + m)
        if n * m > self.maxCells || n == 0 || m == 0 {
            for (i, text) in a.enumerated() { out.append(Line(kind: .removed, text: text, oldNumber: oldOffset + i + 1)) }
            for (j, text) in b.enumerated() { out.append(Line(kind: .added, text: text, newNumber: newOffset + j + 1)) }
            return out
        }
        // lcs[i * (m + 1) + j]: length of the LCS of a[i...] and b[j...].
        var lcs = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i * (m + 1) + j] =
                    a[i] == b[j]
                    ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1])
            }
        }
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                out.append(Line(kind: .same, text: a[i], oldNumber: oldOffset + i + 1, newNumber: newOffset + j + 1))
                i += 1
                j += 1
            } else if i < n, j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1] {
                out.append(Line(kind: .removed, text: a[i], oldNumber: oldOffset + i + 1))
                i += 1
            } else {
                out.append(Line(kind: .added, text: b[j], newNumber: newOffset + j + 1))
                j += 1
            }
        }
        return out
    }
}
