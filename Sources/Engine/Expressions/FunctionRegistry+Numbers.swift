import Foundation

extension FunctionRegistry {
    mutating func registerNumberFunctions() {
        self.register("abs", arity: 1...1, signature: "abs(number)", summary: "the absolute value") {
            call throws(FunctionError) in .number(abs(try call.number(0)))
        }
        self.register(
            "min",
            arity: 1...Int.max,
            signature: "min(number, ...) or min(list)",
            summary: "the smallest number"
        ) {
            call throws(FunctionError) in .number(try Self.numbers(call).min() ?? 0)
        }
        self.register(
            "max",
            arity: 1...Int.max,
            signature: "max(number, ...) or max(list)",
            summary: "the largest number"
        ) {
            call throws(FunctionError) in .number(try Self.numbers(call).max() ?? 0)
        }
        self.register(
            "sum",
            arity: 1...1,
            signature: "sum(list)",
            summary: "the sum of a list of numbers (0 when empty)"
        ) {
            call throws(FunctionError) in
            var total = 0.0
            for (i, element) in try call.list(0).enumerated() {
                guard case .number(let n) = element else {
                    throw call.failure("element \(i + 1) must be a number, not \(element.typeName)")
                }
                total += n
            }
            guard total.isFinite else { throw call.failure("the sum is too large") }
            return .number(total)
        }
        self.register(
            "round",
            arity: 1...2,
            signature: "round(number, digits?)",
            summary: "the number rounded half away from zero, to `digits` decimals (default 0)"
        ) { call throws(FunctionError) in
            let n = try call.number(0)
            let digits = call.has(1) ? try call.integer(1) : 0
            guard (0...15).contains(digits) else { throw call.failure("digits must be between 0 and 15") }
            let scale = pow(10, Double(digits))
            let rounded = (n * scale).rounded(.toNearestOrAwayFromZero) / scale
            return .number(rounded.isFinite ? rounded : n)
        }
        self.register(
            "floor",
            arity: 1...1,
            signature: "floor(number)",
            summary: "the largest whole number not above it"
        ) {
            call throws(FunctionError) in .number(try call.number(0).rounded(.down))
        }
        self.register(
            "ceil",
            arity: 1...1,
            signature: "ceil(number)",
            summary: "the smallest whole number not below it"
        ) {
            call throws(FunctionError) in .number(try call.number(0).rounded(.up))
        }
        self.register(
            "int",
            arity: 1...1,
            signature: "int(value)",
            summary: "a number or numeric string truncated to a whole number; true is 1, false is 0"
        ) { call throws(FunctionError) in
            .number(try Self.numeric(call).rounded(.towardZero))
        }
        self.register(
            "float",
            arity: 1...1,
            signature: "float(value)",
            summary: "a number or numeric string as a number; true is 1, false is 0"
        ) {
            call throws(FunctionError) in .number(try Self.numeric(call))
        }
        self.register(
            "string",
            arity: 1...1,
            signature: "string(value)",
            summary: "the value as template text: strings as-is, null empty, others JSON"
        ) {
            call throws(FunctionError) in
            let value = call.argument(0)
            if case .string = value { return value }
            // Measured first: interpolating a huge object would otherwise build the whole text.
            guard value.jsonLength(limit: call.limits.maxResultBytes) != nil else {
                throw call.failure("result too large (more than \(call.limits.maxResultBytes) bytes)")
            }
            return .string(value.interpolated)
        }
        self.register(
            "bool",
            arity: 1...1,
            signature: "bool(value)",
            summary: "truthiness, except that the strings 'false', 'no', 'off' and '0' (any case) are false"
        ) { call throws(FunctionError) in
            let value = call.argument(0)
            if case .string(let s) = value {
                switch s.trimmingCharacters(in: .whitespaces).lowercased() {
                case "false", "no", "off", "0", "": return .bool(false)
                default: return .bool(true)
                }
            }
            return .bool(value.isTruthy)
        }
        self.register(
            "type",
            arity: 1...1,
            signature: "type(value)",
            summary: "'null', 'bool', 'number', 'string', 'list' or 'object'"
        ) {
            call throws(FunctionError) in .string(call.argument(0).typeName)
        }
    }

    /// The numbers of a `min`/`max` call: either all arguments, or the elements of a single list argument.
    private static func numbers(_ call: FunctionCall) throws(FunctionError) -> [Double] {
        let values: [JSONValue]
        if call.arguments.count == 1, case .array(let elements) = call.argument(0) {
            guard !elements.isEmpty else { throw call.failure("the list is empty") }
            values = elements
        } else {
            values = call.arguments
        }
        var out: [Double] = []
        for (i, value) in values.enumerated() {
            guard case .number(let n) = value else {
                throw call.failure(
                    "\(call.arguments.count == 1 ? "element" : "argument") \(i + 1)"
                        + " must be a number, not \(value.typeName)"
                )
            }
            out.append(n)
        }
        return out
    }

    /// Argument 1 read as a number for `int` and `float`.
    private static func numeric(_ call: FunctionCall) throws(FunctionError) -> Double {
        switch call.argument(0) {
        case .number(let n): return n
        case .bool(let b): return b ? 1 : 0
        case .string(let s):
            guard let n = Double(s.trimmingCharacters(in: .whitespaces)), n.isFinite else {
                throw call.failure("the string is not a number")
            }
            return n
        default: throw call.typeFailure(0, expected: "a number, string or bool")
        }
    }
}
