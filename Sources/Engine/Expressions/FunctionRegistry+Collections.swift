extension FunctionRegistry {
    /// Most elements `range()` produces.
    static let maxRangeCount = 10_000

    mutating func registerCollectionFunctions() {
        self.register("keys", arity: 1...1, signature: "keys(object)", summary: "the object's keys, sorted") {
            call throws(FunctionError) in .array(try call.object(0).keys.sorted().map { .string($0) })
        }
        self.register(
            "values",
            arity: 1...1,
            signature: "values(object)",
            summary: "the object's values, in sorted key order"
        ) {
            call throws(FunctionError) in
            let object = try call.object(0)
            return .array(object.keys.sorted().map { object[$0] ?? .null })
        }
        self.register(
            "merge",
            arity: 1...Int.max,
            signature: "merge(object, ...)",
            summary: "the objects merged, later keys winning (shallow)"
        ) {
            call throws(FunctionError) in
            var out: [String: JSONValue] = [:]
            for i in call.arguments.indices {
                if call.argument(i) == .null { continue }
                out.merge(try call.object(i)) { _, new in new }
            }
            return .object(out)
        }
        self.register(
            "slice",
            arity: 2...3,
            signature: "slice(listOrText, start, end?)",
            summary:
                "elements or characters from start up to (not including) end; negative positions count from the end"
        ) { call throws(FunctionError) in
            let start = try call.integer(1)
            let end: Int? = call.has(2) ? try call.integer(2) : nil
            switch call.argument(0) {
            case .array(let elements):
                return .array(Array(elements[Self.bounds(start, end, count: elements.count)]))
            case .string(let text):
                let characters = Array(text)
                return .string(String(characters[Self.bounds(start, end, count: characters.count)]))
            default: throw call.typeFailure(0, expected: "a list or a string")
            }
        }
        self.register("first", arity: 1...1, signature: "first(list)", summary: "the first element, or null when empty")
        {
            call throws(FunctionError) in try call.list(0).first ?? .null
        }
        self.register("last", arity: 1...1, signature: "last(list)", summary: "the last element, or null when empty") {
            call throws(FunctionError) in try call.list(0).last ?? .null
        }
        self.register(
            "reverse",
            arity: 1...1,
            signature: "reverse(listOrText)",
            summary: "the elements or characters in reverse order"
        ) {
            call throws(FunctionError) in
            switch call.argument(0) {
            case .array(let elements): return .array(elements.reversed())
            case .string(let text): return .string(String(text.reversed()))
            default: throw call.typeFailure(0, expected: "a list or a string")
            }
        }
        self.register(
            "sort",
            arity: 1...1,
            signature: "sort(list)",
            summary: "the list sorted ascending; all numbers or all strings"
        ) {
            call throws(FunctionError) in
            let elements = try call.list(0)
            if let numbers = Self.all(elements, \.doubleValue) { return .array(numbers.sorted().map { .number($0) }) }
            if let strings = Self.all(elements, \.stringValue) { return .array(strings.sorted().map { .string($0) }) }
            throw call.failure("the list must hold only numbers or only strings")
        }
        self.register(
            "unique",
            arity: 1...1,
            signature: "unique(list)",
            summary: "the list without repeated elements, first occurrences kept",
            traversesValues: true
        ) { call throws(FunctionError) in
            var seen: Set<JSONValue> = []
            return .array(try call.list(0).filter { seen.insert($0).inserted })
        }
        self.register(
            "flatten",
            arity: 1...1,
            signature: "flatten(list)",
            summary: "a list of lists joined into one list (one level)"
        ) {
            call throws(FunctionError) in
            var out: [JSONValue] = []
            for element in try call.list(0) {
                if case .array(let inner) = element { out += inner } else { out.append(element) }
                try call.checkSize(out.count * 16)
            }
            return .array(out)
        }
        self.register(
            "range",
            arity: 1...3,
            signature: "range(end) or range(start, end, step?)",
            summary: "whole numbers from start (default 0) up to, not including, end; at most 10000"
        ) { call throws(FunctionError) in
            let (start, end) =
                call.arguments.count == 1 ? (0, try call.integer(0)) : (try call.integer(0), try call.integer(1))
            let step = call.has(2) ? try call.integer(2) : 1
            guard step != 0 else { throw call.failure("step must not be 0") }
            let count = step > 0 ? (end - start + step - 1) / step : (start - end - step - 1) / -step
            guard count <= Self.maxRangeCount else {
                throw call.failure("at most \(Self.maxRangeCount) numbers (asked for \(count))")
            }
            guard count > 0 else { return .array([]) }
            return .array((0..<count).map { .number(Double(start + $0 * step)) })
        }
        self.register(
            "coalesce",
            arity: 1...Int.max,
            signature: "coalesce(value, ...)",
            summary: "the first argument that is not null, or null"
        ) {
            call throws(FunctionError) in call.arguments.first { $0 != .null } ?? .null
        }
        self.register(
            "default",
            arity: 2...2,
            signature: "default(value, fallback)",
            summary: "fallback when value is null or the empty string, else value"
        ) { call throws(FunctionError) in
            switch call.argument(0) {
            case .null, .string(""): call.argument(1)
            default: call.argument(0)
            }
        }
    }

    /// Clamped half-open bounds for `slice`, with negative positions counted from the end.
    private static func bounds(_ start: Int, _ end: Int?, count: Int) -> Range<Int> {
        func clamp(_ i: Int) -> Int { min(max(i < 0 ? count + i : i, 0), count) }
        let lower = clamp(start)
        let upper = clamp(end ?? count)
        return lower..<max(lower, upper)
    }

    /// Every element through `extract`, or `nil` when one does not fit.
    private static func all<T>(_ elements: [JSONValue], _ extract: (JSONValue) -> T?) -> [T]? {
        var out: [T] = []
        out.reserveCapacity(elements.count)
        for element in elements {
            guard let value = extract(element) else { return nil }
            out.append(value)
        }
        return out
    }
}
