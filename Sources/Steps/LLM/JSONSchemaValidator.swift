import Engine
import Foundation

/// Checks a value against the subset of JSON Schema that `llm_call` promises: `type` (one or a list of
/// `object`, `array`, `string`, `number`, `integer`, `boolean`, `null`), `properties`, `required`, `items`,
/// `enum`, `const` and `additionalProperties` (false or a schema). Other keywords are ignored.
struct JSONSchemaValidator {
    /// Problems are listed with the path they occur at (`$.tags[2]: expected string, got number`); at most this many.
    static let maxProblems = 20

    let schema: JSONValue

    /// Refuses a schema that is not an object (or boolean), naming what was given.
    init(schema: JSONValue) throws {
        switch schema {
        case .object, .bool: self.schema = schema
        default:
            throw StepFailure("'with.json_schema' must be a JSON Schema object, not \(schema.typeName)", retryable: false)
        }
    }

    /// Every problem found; empty when the value conforms.
    func problems(_ value: JSONValue) -> [String] {
        var problems: [String] = []
        Self.check(value, against: self.schema, at: "$", into: &problems)
        return problems
    }

    private static func check(_ value: JSONValue, against schema: JSONValue, at path: String, into problems: inout [String]) {
        guard problems.count < self.maxProblems else { return }
        switch schema {
        case .bool(false): problems.append("\(path): no value is allowed here")
        case .object(let keywords): self.check(value, keywords, at: path, into: &problems)
        default: return
        }
    }

    private static func check(
        _ value: JSONValue, _ keywords: [String: JSONValue], at path: String, into problems: inout [String]
    ) {
        if let type = keywords["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? type.stringValue.map { [$0] } ?? []
            if !allowed.isEmpty, !allowed.contains(where: { self.matches(value, type: $0) }) {
                problems.append("\(path): expected \(allowed.joined(separator: " or ")), got \(self.name(value))")
                return
            }
        }
        if let options = keywords["enum"]?.arrayValue, !options.contains(value) {
            let shown = options.prefix(10).map { $0.jsonString() }.joined(separator: ", ")
            problems.append("\(path): \(self.short(value)) is not one of \(shown)")
        }
        if let constant = keywords["const"], constant != value {
            problems.append("\(path): must be \(constant.jsonString())")
        }
        switch value {
        case .object(let fields):
            let properties = keywords["properties"]?.objectValue ?? [:]
            for name in keywords["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where fields[name] == nil {
                problems.append("\(path): missing required property '\(name)'")
            }
            for name in fields.keys.sorted() {
                let child = "\(path).\(name)"
                if let property = properties[name] {
                    self.check(fields[name]!, against: property, at: child, into: &problems)
                } else if let additional = keywords["additionalProperties"] {
                    if additional == .bool(false) {
                        problems.append("\(path): property '\(name)' is not allowed")
                    } else {
                        self.check(fields[name]!, against: additional, at: child, into: &problems)
                    }
                }
            }
        case .array(let items):
            if let itemSchema = keywords["items"] {
                for (index, item) in items.enumerated() {
                    self.check(item, against: itemSchema, at: "\(path)[\(index)]", into: &problems)
                }
            }
        default: break
        }
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
            ("number", .number):
            true
        case ("integer", .number(let n)): n.rounded() == n && n.isFinite
        default: false
        }
    }

    private static func name(_ value: JSONValue) -> String {
        switch value {
        case .array: "array"
        case .bool: "boolean"
        case .number(let n) where n.rounded() == n: "integer"
        default: value.typeName
        }
    }

    private static func short(_ value: JSONValue) -> String {
        let text = value.jsonString()
        return text.count > 60 ? String(text.prefix(60)) + "…" : text
    }
}

/// Reading a JSON answer out of model text, which may wrap it in a code fence or a sentence.
enum LLMAnswer {
    /// The JSON value in `text`, or nil. Tries the whole text, then a fenced block, then the outermost braces.
    static func json(_ text: String) -> JSONValue? {
        let trimmed = text.trimmingSpaces
        if let value = try? JSONValue.parse(trimmed) { return value }
        if let fenceStart = trimmed.range(of: "```") {
            var inner = trimmed[fenceStart.upperBound...]
            if let newline = inner.firstIndex(of: "\n") { inner = inner[inner.index(after: newline)...] }
            if let fenceEnd = inner.range(of: "```"), let value = try? JSONValue.parse(String(inner[..<fenceEnd.lowerBound])) {
                return value
            }
        }
        for (open, close) in [("{", "}"), ("[", "]")] {
            if let first = trimmed.firstIndex(of: Character(open)), let last = trimmed.lastIndex(of: Character(close)),
                first < last, let value = try? JSONValue.parse(String(trimmed[first...last]))
            {
                return value
            }
        }
        return nil
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = self.firstIndex(where: { !isSpace($0) }), let last = self.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}
