import Engine
import Foundation

/// Reads an argument that is either literal text, `@FILE` (the file's contents) or `@-` (stdin), as
/// `--input`, `--data` and `--body` take them.
enum InputArgument {
    /// The bytes `argument` stands for.
    ///
    /// - Throws: `CtlFailure.usage` when `@FILE` cannot be read, naming the option and the file.
    static func bytes(_ argument: String, option: String) throws(CtlFailure) -> [UInt8] {
        guard argument.hasPrefix("@") else { return Array(argument.utf8) }
        let context = CtlContext.current
        let path = String(argument.dropFirst())
        if path == "-" { return context.readStandardInput() }
        guard !path.isEmpty else { throw .usage("\(option) @FILE needs a file name after @") }
        let resolved = path.hasPrefix("/") ? path : context.workingDirectory + "/" + path
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: resolved)))
        } catch {
            let reason = FileManager.default.fileExists(atPath: resolved) ? "cannot be read" : "does not exist"
            throw .usage("\(option): file '\(path)' \(reason)")
        }
    }

    /// The JSON value `argument` stands for (literal JSON, `@FILE` or `@-`).
    ///
    /// - Throws: `CtlFailure.usage` for an unreadable file or text that is not JSON, saying where.
    static func json(_ argument: String, option: String) throws(CtlFailure) -> JSONValue {
        let bytes = try self.bytes(argument, option: option)
        do {
            return try JSONValue.parse(bytes: bytes)
        } catch {
            let source = argument.hasPrefix("@") ? "the contents of '\(argument.dropFirst())'" : "the value"
            throw .usage("\(option): \(source) is not valid JSON: \(error)")
        }
    }
}
