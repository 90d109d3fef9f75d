public import Foundation

/// The arguments of one function call, with typed accessors whose errors name the function and argument.
public struct FunctionCall: Sendable {
    /// The function's name, for messages.
    public let name: String
    /// The evaluated arguments.
    public let arguments: [JSONValue]
    /// The injected clock reading.
    public let now: Date
    /// Bounds on what the function may build.
    public let limits: ExpressionLimits

    /// Makes a call record.
    public init(name: String, arguments: [JSONValue], now: Date, limits: ExpressionLimits = .standard) {
        self.name = name
        self.arguments = arguments
        self.now = now
        self.limits = limits
    }

    /// `name(): message`.
    public func failure(_ message: String) -> FunctionError { FunctionError("\(self.name)(): \(message)") }

    /// Argument `index` (0-based), or null when it was not given.
    public func argument(_ index: Int) -> JSONValue { index < self.arguments.count ? self.arguments[index] : .null }

    /// Whether argument `index` was given and is not null.
    public func has(_ index: Int) -> Bool { self.argument(index) != .null }

    /// A type error for argument `index`: `upper(): argument 1 must be a string, not number`.
    public func typeFailure(_ index: Int, expected: String) -> FunctionError {
        self.failure("argument \(index + 1) must be \(expected), not \(self.argument(index).typeName)")
    }

    /// Argument `index` as a string.
    public func string(_ index: Int) throws(FunctionError) -> String {
        guard case .string(let s) = self.argument(index) else { throw self.typeFailure(index, expected: "a string") }
        return s
    }

    /// Argument `index` as a number.
    public func number(_ index: Int) throws(FunctionError) -> Double {
        guard case .number(let n) = self.argument(index) else { throw self.typeFailure(index, expected: "a number") }
        return n
    }

    /// Argument `index` as a whole number.
    public func integer(_ index: Int) throws(FunctionError) -> Int {
        let value = self.argument(index)
        guard case .number = value else { throw self.typeFailure(index, expected: "a whole number") }
        guard let i = value.intValue else { throw self.failure("argument \(index + 1) must be a whole number") }
        return i
    }

    /// Argument `index` as a list.
    public func list(_ index: Int) throws(FunctionError) -> [JSONValue] {
        guard case .array(let a) = self.argument(index) else { throw self.typeFailure(index, expected: "a list") }
        return a
    }

    /// Argument `index` as an object.
    public func object(_ index: Int) throws(FunctionError) -> [String: JSONValue] {
        guard case .object(let o) = self.argument(index) else { throw self.typeFailure(index, expected: "an object") }
        return o
    }

    /// Fails when a result of `bytes` would exceed `maxResultBytes`; call it before building big results.
    public func checkSize(_ bytes: Int) throws(FunctionError) {
        if bytes > self.limits.maxResultBytes {
            throw self.failure("result too large (more than \(self.limits.maxResultBytes) bytes)")
        }
    }
}
