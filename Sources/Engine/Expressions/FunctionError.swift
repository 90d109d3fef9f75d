/// Why a function call failed: a wrong argument count or type, or input the function cannot handle.
///
/// The message starts with the function name, e.g. `upper(): argument 1 must be a string, not number`,
/// and never contains argument values, which could be secrets.
public struct FunctionError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, phrased for the workflow author.
    public let message: String

    /// Makes an error with the given message.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { self.message }
}
