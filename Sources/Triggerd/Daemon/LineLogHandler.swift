import Engine
import Foundation
import Logging

/// Writes one line per log record to stderr: `text` (human, key=value metadata) or `json` (one object per line,
/// which journald and log shippers read as structured fields).
struct LineLogHandler: LogHandler {
    enum Format: String { case text, json }

    let label: String
    let format: Format
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    /// Values masked as `***` in every line.
    let redactor: LogRedaction

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = self.metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let time = Timestamp.format(Date())
        let message = self.redactor.redact(event.message.description)
        var line: String
        switch self.format {
        case .text:
            line = "\(time) \(event.level.rawValue.uppercased()) \(message)"
            for key in merged.keys.sorted() {
                let value = self.redactor.redact("\(merged[key]!)")
                line += " \(key)=" + (value.contains(" ") || value.isEmpty ? "\"\(value)\"" : value)
            }
        case .json:
            var fields: [String: JSONValue] = [
                "time": .string(time), "level": .string(event.level.rawValue), "message": .string(message),
                "logger": .string(self.label),
            ]
            for (key, value) in merged { fields[key] = .string(self.redactor.redact("\(value)")) }
            line = JSONValue.object(fields).jsonString()
        }
        line += "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
