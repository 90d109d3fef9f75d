public import Foundation
import Yams

/// Walks a composed YAML tree, turning shapes into values and mistakes into diagnostics with positions.
///
/// Not `Sendable`: one reader lives for one file load.
final class NodeReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var warnings: [Diagnostic] = []

    /// Where each step names other steps (`needs`, `then`, `else`, `on_error`), for graph diagnostics.
    private(set) var references: [String: [(role: String, id: String, location: SourceLocation)]] = [:]

    /// Where the templates being read are evaluated; nil checks no root names (set by the loader per field).
    var expressionContext: ExpressionContext?

    /// Every `steps.<id>` read of a step's expressions, where it is written, for the graph check.
    var stepReads: [(step: String, id: String, location: SourceLocation)] = []

    init(file: String) { self.file = file }

    func remember(step: String, role: String, _ ids: [(String, Node)]) {
        self.references[step, default: []].append(contentsOf: ids.map { (role, $0.0, self.location($0.1)) })
    }

    /// A node's position; the file's start when Yams has none.
    func location(_ node: Node?) -> SourceLocation {
        guard let mark = node?.mark else { return SourceLocation(file: self.file, line: 1, column: 1) }
        return SourceLocation(file: self.file, line: mark.line, column: mark.column)
    }

    func error(_ node: Node?, _ message: String) {
        self.diagnostics.append(Diagnostic(self.location(node), message))
    }

    func error(at location: SourceLocation, _ message: String) {
        self.diagnostics.append(Diagnostic(location, message))
    }

    /// Something valid that probably is not meant; it does not refuse the file.
    func warning(at location: SourceLocation, _ message: String) {
        self.warnings.append(Diagnostic(location, message, severity: .warning))
    }

    /// One `key: value` entry of a mapping, with both nodes for positions.
    struct Entry {
        let key: String
        let keyNode: Node
        let value: Node
    }

    /// The entries of a mapping, or nil (with a diagnostic) when `node` is not a mapping.
    func mapping(_ node: Node, what: String) -> [Entry]? {
        guard case .mapping(let mapping) = node else {
            self.error(node, "\(what) must be a mapping (key: value), not \(self.describe(node))")
            return nil
        }
        var entries: [Entry] = []
        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                self.error(keyNode, "\(what) has a key that is not a plain name")
                continue
            }
            if !seen.insert(scalar.string).inserted {
                self.error(keyNode, "\(what) has the key '\(scalar.string)' more than once")
                continue
            }
            entries.append(Entry(key: scalar.string, keyNode: keyNode, value: value))
        }
        return entries
    }

    /// Reports keys outside `allowed`, with a suggestion. Returns the known entries keyed by name.
    @discardableResult
    func known(_ entries: [Entry], allowed: [String], what: String) -> [String: Entry] {
        var result: [String: Entry] = [:]
        for entry in entries {
            if allowed.contains(entry.key) {
                result[entry.key] = entry
            } else if let guess = DidYouMean.suggest(entry.key, from: allowed) {
                self.error(entry.keyNode, "unknown field '\(entry.key)' in \(what) (did you mean '\(guess)'?)")
            } else {
                self.error(
                    entry.keyNode,
                    "unknown field '\(entry.key)' in \(what) (expected one of: \(allowed.joined(separator: ", ")))")
            }
        }
        return result
    }

    /// A short phrase for a node's shape, for messages.
    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar:
            switch self.json(node) {
            case .string(let s): return "the string '\(s)'"
            case .number(let n): return "the number \(JSONValue.format(n))"
            case .bool(let b): return b ? "true" : "false"
            default: return "null"
            }
        }
    }

    /// A scalar's text when it is a string-like scalar (numbers and bools are accepted as their text).
    func string(_ node: Node, what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            self.error(node, "\(what) must be a string, not \(self.describe(node))")
            return nil
        }
        if case .null = self.json(node) {
            self.error(node, "\(what) must be a string, not null")
            return nil
        }
        return scalar.string
    }

    func int(_ node: Node, what: String, range: ClosedRange<Int>) -> Int? {
        guard case .number(let n) = self.json(node), n.rounded() == n, n >= Double(range.lowerBound),
            n <= Double(range.upperBound)
        else {
            self.error(
                node,
                "\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(self.describe(node))")
            return nil
        }
        return Int(n)
    }

    func bool(_ node: Node, what: String) -> Bool? {
        guard case .bool(let b) = self.json(node) else {
            self.error(node, "\(what) must be true or false, not \(self.describe(node))")
            return nil
        }
        return b
    }

    /// A duration such as `10s` or `1h30m`, in seconds. Bare numbers are seconds.
    func duration(_ node: Node, what: String) -> Double? {
        switch self.json(node) {
        case .number(let n) where n >= 0: return n
        case .string(let s):
            do {
                return try DurationText.parse(s)
            } catch {
                self.error(node, "\(what): \(error.description)")
                return nil
            }
        default:
            self.error(node, "\(what) must be a duration such as '30s', '5m' or '1h30m', not \(self.describe(node))")
            return nil
        }
    }

    /// A list of strings; a single string is accepted as a list of one.
    func stringList(_ node: Node, what: String) -> [(String, Node)]? {
        switch node {
        case .scalar:
            guard let s = self.string(node, what: what) else { return nil }
            return [(s, node)]
        case .sequence(let seq):
            var out: [(String, Node)] = []
            for item in seq {
                guard let s = self.string(item, what: "each entry of \(what)") else { continue }
                out.append((s, item))
            }
            return out
        default:
            self.error(node, "\(what) must be a list of names, not \(self.describe(node))")
            return nil
        }
    }

    /// Converts a node to JSON with YAML 1.2 core-schema scalars (`yes`/`on` stay strings).
    func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain && scalar.style != .any { return .string(scalar.string) }
            return Self.plainScalar(scalar.string)
        case .sequence(let seq):
            return .array(seq.map { self.json($0) })
        case .mapping(let mapping):
            var o: [String: JSONValue] = [:]
            for (k, v) in mapping {
                if case .scalar(let ks) = k { o[ks.string] = self.json(v) }
            }
            return .object(o)
        case .alias:
            self.error(node, "YAML aliases are not supported in workflow files; write the value out")
            return .null
        }
    }

    static func plainScalar(_ text: String) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let first = text.unicodeScalars.first, first == "-" || first == "+" || first == "." || ("0"..."9").contains(first),
            text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || "+-.eE_".unicodeScalars.contains($0) }),
            let n = Double(text.replacingOccurrences(of: "_", with: ""))
        {
            return .number(n)
        }
        return .string(text)
    }

    /// Parses a template string held by `node`, reporting errors at the exact column of the problem.
    func template(_ text: String, node: Node, what: String) -> Template? {
        do {
            let template = try Template.parse(text)
            self.checkNames(template, node: node, what: what)
            return template
        } catch {
            self.error(at: self.location(node, offset: error.offset), "\(what): \(error.description)")
            return nil
        }
    }

    /// The location of the character `offset` inside a single-line scalar.
    func location(_ node: Node, offset: Int) -> SourceLocation {
        var loc = self.location(node)
        if case .scalar(let scalar) = node {
            switch scalar.style {
            case .plain, .any: loc.column += offset
            case .singleQuoted, .doubleQuoted: loc.column += offset + 1
            default: break
            }
        }
        return loc
    }
}
