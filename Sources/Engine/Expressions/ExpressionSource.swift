/// The text of one expression and where it starts in its template, for building located errors.
struct ExpressionSource: Sendable, Hashable {
    /// The expression text, trimmed.
    var text: String
    /// Offset of `text` in the template string, in Unicode scalars.
    var baseOffset: Int

    /// An error at `offset` (Unicode scalars into `text`).
    func error(_ message: String, at offset: Int) -> ExpressionError {
        ExpressionError(message: message, source: self.text, offset: self.baseOffset + offset, column: offset + 1)
    }
}
