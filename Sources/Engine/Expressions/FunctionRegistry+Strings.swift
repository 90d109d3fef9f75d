import Foundation

extension FunctionRegistry {
    mutating func registerStringFunctions() {
        self.register(
            "len",
            arity: 1...1,
            signature: "len(value)",
            summary: "characters in a string, elements in a list or object; 0 for null"
        ) {
            call throws(FunctionError) in
            switch call.argument(0) {
            case .string(let s): return .number(Double(s.count))
            case .array(let a): return .number(Double(a.count))
            case .object(let o): return .number(Double(o.count))
            case .null: return .number(0)
            default: throw call.typeFailure(0, expected: "a string, list or object")
            }
        }
        self.register("lower", arity: 1...1, signature: "lower(text)", summary: "the text in lower case") {
            call throws(FunctionError) in .string(try call.string(0).lowercased())
        }
        self.register("upper", arity: 1...1, signature: "upper(text)", summary: "the text in upper case") {
            call throws(FunctionError) in .string(try call.string(0).uppercased())
        }
        self.register(
            "trim",
            arity: 1...1,
            signature: "trim(text)",
            summary: "the text without leading and trailing white space"
        ) {
            call throws(FunctionError) in .string(try call.string(0).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        self.register(
            "contains",
            arity: 2...2,
            signature: "contains(haystack, needle)",
            summary: "whether a string contains a substring, a list an element, or an object a key; false for null",
            traversesValues: true
        ) { call throws(FunctionError) in
            switch (call.argument(0), call.argument(1)) {
            case (.string(let whole), .string(let part)): return .bool(part.isEmpty || whole.contains(part))
            case (.string, _): throw call.typeFailure(1, expected: "a string when argument 1 is a string")
            case (.array(let elements), let needle): return .bool(elements.contains(needle))
            case (.object(let object), .string(let key)): return .bool(object[key] != nil)
            case (.object, _): throw call.typeFailure(1, expected: "a string when argument 1 is an object")
            case (.null, _): return .bool(false)
            default: throw call.typeFailure(0, expected: "a string, list or object")
            }
        }
        self.register(
            "startsWith",
            arity: 2...2,
            signature: "startsWith(text, prefix)",
            summary: "whether the text starts with the prefix"
        ) {
            call throws(FunctionError) in .bool(try call.string(0).hasPrefix(try call.string(1)))
        }
        self.register(
            "endsWith",
            arity: 2...2,
            signature: "endsWith(text, suffix)",
            summary: "whether the text ends with the suffix"
        ) {
            call throws(FunctionError) in .bool(try call.string(0).hasSuffix(try call.string(1)))
        }
        self.register(
            "split",
            arity: 2...2,
            signature: "split(text, separator)",
            summary: "the parts of the text between separators; an empty separator splits into characters"
        ) { call throws(FunctionError) in
            let text = try call.string(0)
            let separator = try call.string(1)
            if text.isEmpty { return .array([]) }
            let parts = separator.isEmpty ? text.map { String($0) } : text.components(separatedBy: separator)
            try call.checkSize(parts.count * 16)
            return .array(parts.map { .string($0) })
        }
        self.register(
            "join",
            arity: 1...2,
            signature: "join(list, separator?)",
            summary: "the elements' text joined with the separator (default none); null elements are empty"
        ) { call throws(FunctionError) in
            let elements = try call.list(0)
            let separator = call.has(1) ? try call.string(1) : ""
            var out = ""
            var size = 0
            for (i, element) in elements.enumerated() {
                switch element {
                case .array, .object:
                    throw call.failure(
                        "element \(i + 1) is \(element.typeName == "list" ? "a list" : "an object");"
                            + " only strings, numbers, booleans and null can be joined"
                    )
                default: break
                }
                let piece = element.interpolated
                size += piece.utf8.count + (i > 0 ? separator.utf8.count : 0)
                try call.checkSize(size)
                if i > 0 { out += separator }
                out += piece
            }
            return .string(out)
        }
        self.register(
            "replace",
            arity: 3...3,
            signature: "replace(text, old, new)",
            summary: "the text with every occurrence of old replaced by new"
        ) {
            call throws(FunctionError) in
            let text = try call.string(0)
            let old = try call.string(1)
            let new = try call.string(2)
            guard !old.isEmpty else { throw call.failure("argument 2 must not be empty") }
            let parts = text.components(separatedBy: old)
            // Sized before joining: many occurrences times a long replacement could otherwise explode.
            let size = parts.reduce(0) { $0 + $1.utf8.count } + (parts.count - 1) * new.utf8.count
            try call.checkSize(size)
            return .string(parts.joined(separator: new))
        }
        self.register(
            "matches",
            arity: 2...2,
            signature: "matches(text, pattern)",
            summary: "whether the regular expression (ICU syntax, e.g. '(?i)^fix') matches somewhere in the text"
        ) { call throws(FunctionError) in
            .bool(try RegexMatcher.matches(try call.string(0), pattern: try call.string(1), call: call))
        }
    }
}
