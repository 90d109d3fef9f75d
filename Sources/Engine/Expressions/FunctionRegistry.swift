public import Foundation

/// The functions that expressions and the `function_call` step can call, by name.
///
/// `FunctionRegistry.standard` holds the built-in set (strings, collections, numbers, encoding,
/// dates); the full list with signatures is `names` and `function(named:)?.signature`.
/// Functions are pure apart from `now()` (which reads the injected clock, never the system's) and
/// `uuid()`. They bound the size of what they build by `ExpressionLimits.maxResultBytes`.
public struct FunctionRegistry: Sendable {
    /// One callable function.
    public struct Function: Sendable {
        /// The name used in calls.
        public let name: String
        /// How many arguments it accepts; the upper bound is `Int.max` for variadic functions.
        public let arity: ClosedRange<Int>
        /// How a call reads in the docs, e.g. `formatDate(date, format, timeZone?)`.
        public let signature: String
        /// One line on what it returns.
        public let summary: String
        /// Whether it walks whole value trees (so the evaluator charges steps per element).
        let traversesValues: Bool
        let body: @Sendable (FunctionCall) throws(FunctionError) -> JSONValue
    }

    private var table: [String: Function] = [:]

    /// An empty registry; use `.standard` for the built-in functions.
    public init() {}

    /// The built-in functions.
    public static let standard: FunctionRegistry = {
        var registry = FunctionRegistry()
        registry.registerStringFunctions()
        registry.registerCollectionFunctions()
        registry.registerNumberFunctions()
        registry.registerEncodingFunctions()
        registry.registerDateFunctions()
        return registry
    }()

    /// All function names, sorted (for did-you-mean suggestions and docs).
    public var names: [String] { self.table.keys.sorted() }

    /// The function with this name, if registered.
    public func function(named name: String) -> Function? { self.table[name] }

    /// Adds or replaces a function.
    ///
    /// - Parameters:
    ///   - name: the name used in calls.
    ///   - arity: accepted argument counts, e.g. `1...1`, `2...3`, `1...Int.max`.
    ///   - signature: how a call reads in the docs, e.g. `pad(text, width)`.
    ///   - summary: one line on what it returns.
    ///   - traversesValues: true when the function walks whole value trees, so calls are charged per element.
    ///   - body: computes the result; throw `call.failure(...)` for bad input.
    public mutating func register(
        _ name: String,
        arity: ClosedRange<Int>,
        signature: String,
        summary: String,
        traversesValues: Bool = false,
        _ body: @escaping @Sendable (FunctionCall) throws(FunctionError) -> JSONValue
    ) {
        self.table[name] = Function(
            name: name,
            arity: arity,
            signature: signature,
            summary: summary,
            traversesValues: traversesValues,
            body: body
        )
    }

    /// Calls a function.
    ///
    /// - Throws: `FunctionError` for an unknown name, a wrong argument count or type, or input the function
    ///   cannot handle; the message names the function and the argument.
    public func call(
        _ name: String,
        _ args: [JSONValue],
        now: Date,
        limits: ExpressionLimits = .standard
    ) throws(FunctionError) -> JSONValue {
        guard let function = self.table[name] else { throw FunctionError(self.unknownFunctionMessage(name)) }
        if let problem = Self.arityProblem(function, argumentCount: args.count) { throw FunctionError(problem) }
        return try function.body(FunctionCall(name: name, arguments: args, now: now, limits: limits))
    }

    /// Why calling `name` with this many arguments cannot work, or `nil` when it can.
    func problem(calling name: String, argumentCount: Int) -> String? {
        guard let function = self.table[name] else { return self.unknownFunctionMessage(name) }
        return Self.arityProblem(function, argumentCount: argumentCount)
    }

    /// `unknown function 'lenn' (did you mean 'len'?)`.
    func unknownFunctionMessage(_ name: String) -> String {
        if let suggestion = DidYouMean.suggest(name, from: self.names) {
            return "unknown function '\(name)' (did you mean '\(suggestion)'?)"
        }
        return "unknown function '\(name)'"
    }

    private static func arityProblem(_ function: Function, argumentCount count: Int) -> String? {
        let arity = function.arity
        guard !arity.contains(count) else { return nil }
        let got = "got \(count)"
        let expected: String
        if arity.upperBound == Int.max {
            expected = "at least \(Self.arguments(arity.lowerBound))"
        } else if arity.lowerBound == arity.upperBound {
            expected = arity.lowerBound == 0 ? "no arguments" : Self.arguments(arity.lowerBound)
        } else if arity.upperBound == arity.lowerBound + 1 {
            expected = "\(arity.lowerBound) or \(Self.arguments(arity.upperBound))"
        } else {
            expected = "\(arity.lowerBound) to \(Self.arguments(arity.upperBound))"
        }
        return "\(function.name)() takes \(expected), \(got) (usage: \(function.signature))"
    }

    private static func arguments(_ n: Int) -> String { n == 1 ? "1 argument" : "\(n) arguments" }
}
