public import Foundation

/// What an expression can see while it is evaluated: its root values, the clock, the functions and the limits.
public struct ExpressionScope: Sendable {
    /// Root names and their values: `trigger`, `input`, `steps`, `item`, `index`, `run`, `env`, `secrets`, `event`.
    /// A name not in this map is an evaluation error ("unknown name"), unlike a missing member, which is null.
    public var roots: [String: JSONValue]
    /// The time `now()` reports. Injected so runs and tests are reproducible; never read from the system clock here.
    public var now: Date
    /// The functions expressions may call.
    public var functions: FunctionRegistry
    /// Bounds on evaluation work and memory.
    public var limits: ExpressionLimits

    /// Makes a scope; every part has a default.
    public init(
        roots: [String: JSONValue] = [:],
        now: Date = Date(),
        functions: FunctionRegistry = .standard,
        limits: ExpressionLimits = .standard
    ) {
        self.roots = roots
        self.now = now
        self.functions = functions
        self.limits = limits
    }
}
