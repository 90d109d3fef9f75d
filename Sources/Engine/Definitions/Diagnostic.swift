/// A position in a workflow or configuration file (1-based line and column).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(self.file):\(self.line):\(self.column)" }
}

/// One compiler-style problem in a definition file: `file:line:col: error: message`, or
/// `file:line:col: warning: message` for something accepted that looks unintended.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// An error refuses the file; a warning is only reported.
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var location: SourceLocation
    public var message: String
    public var severity: Severity

    public init(_ location: SourceLocation, _ message: String, severity: Severity = .error) {
        self.location = location
        self.message = message
        self.severity = severity
    }

    public var description: String { "\(self.location): \(self.severity.rawValue): \(self.message)" }
}

/// Every problem found in one file. The file is refused when this is thrown.
public struct DefinitionErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    /// Diagnostics in file order (line, then column), so they read top to bottom.
    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.enumerated().sorted {
            ($0.element.location.line, $0.element.location.column, $0.offset)
                < ($1.element.location.line, $1.element.location.column, $1.offset)
        }.map(\.element)
    }

    public var description: String { self.diagnostics.map(\.description).joined(separator: "\n") }
}
