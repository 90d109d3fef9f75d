/// Something in a cron expression that is accepted but probably not meant, and where.
///
/// `*/61` in the minute field is valid (Debian's `crontab` installs it and it fires at minute 0 only), so it is
/// not an error, but `triggerctl validate` says what it selects: column 3, `minute field: step 61 in '*/61'
/// selects only 0, ...`.
public struct CronWarning: CustomStringConvertible, Sendable, Hashable {
    /// 1-based column in the expression text of the token the warning is about.
    public let column: Int
    /// What the expression does and what to write instead.
    public let message: String

    /// Creates a warning at a column of the expression text.
    public init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    /// The message, without the column (callers add their own location prefix).
    public var description: String { self.message }
}
