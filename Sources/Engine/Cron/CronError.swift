/// Why a cron expression was refused, and where.
///
/// `column` is 1-based and points at the field or token that is wrong, so a diagnostic can underline it:
/// parsing `"0 24 * * *"` fails with column 3 and the message `hour field: 24 is out of range (0-23)`.
public struct CronError: Error, CustomStringConvertible, Sendable, Equatable {
    /// 1-based column in the expression text of the bad field or token.
    public let column: Int
    /// What is wrong and what the field accepts, e.g. `hour field: 24 is out of range (0-23)`.
    public let message: String

    /// Creates an error at a column of the expression text.
    public init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    /// The message, without the column (callers add their own location prefix).
    public var description: String { self.message }
}
