import Foundation

/// Where `triggerctl` writes: stdout for results, stderr for diagnostics.
///
/// Commands never call `print`; they write through the `Console` of `CtlContext.current`, so tests can
/// capture both streams and compare them in full.
protocol Console: Sendable {
    /// Writes `text` to stdout as is (callers add the newline).
    func out(_ text: String)
    /// Writes `text` to stderr as is.
    func err(_ text: String)
}

/// The process's own stdout and stderr, unbuffered so that streamed events appear at once.
struct StandardConsole: Console {
    func out(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
    func err(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
