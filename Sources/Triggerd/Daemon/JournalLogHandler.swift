import CTriggerd
import Engine
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Writes log records to systemd-journald over its native protocol, so metadata arrives as structured fields
/// (`RUN_ID=`, `WORKFLOW=`, `STEP=` …) that `journalctl RUN_ID=01J…` can filter on, instead of text in
/// `MESSAGE=`.
///
/// The daemon switches to it by itself when systemd connected its stderr to the journal (`$JOURNAL_STREAM`
/// names stderr's device and inode), whatever `--log-format` says; elsewhere `LineLogHandler` writes lines.
/// Messages and values are masked by the redactor like every other line. A record the journal refuses (too
/// large for one datagram) goes to stderr instead.
struct JournalLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let redactor: LogRedaction
    /// The journal's socket (`/run/systemd/journal/socket`, or a test's).
    let socketPath: String
    /// Writes a record the journal refused (stderr, as a text line).
    let fallback: LineLogHandler

    static let defaultSocket = "/run/systemd/journal/socket"

    init(label: String, logLevel: Logger.Level, redactor: LogRedaction, socketPath: String = Self.defaultSocket) {
        self.label = label
        self.logLevel = logLevel
        self.redactor = redactor
        self.socketPath = socketPath
        self.fallback = LineLogHandler(label: label, format: .text, logLevel: logLevel, redactor: redactor)
    }

    /// True when `environment["JOURNAL_STREAM"]` (`DEVICE:INODE`) is this process's stderr and the journal's
    /// socket exists: stderr goes to the journal, so native records are the better form of the same output.
    static func stderrIsJournal(environment: [String: String], socketPath: String = Self.defaultSocket) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]),
            let stderr = Self.stderrIdentity(), stderr.device == device, stderr.inode == inode
        else { return false }
        return access(socketPath, W_OK) == 0
    }

    /// The device and inode of this process's stderr (what systemd writes to `JOURNAL_STREAM`), or nil when
    /// `fstat` fails.
    static func stderrIdentity() -> (device: UInt64, inode: UInt64)? {
        var device: UInt64 = 0
        var inode: UInt64 = 0
        guard ctriggerd_fd_identity(STDERR_FILENO, &device, &inode) == 0 else { return nil }
        return (device, inode)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = self.metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var fields: [(String, String)] = [
            ("MESSAGE", self.redactor.redact(event.message.description)),
            ("PRIORITY", String(Self.priority(event.level))),
            ("SYSLOG_IDENTIFIER", "triggerd"),
            ("LOGGER", self.label),
            ("CODE_FILE", event.file),
            ("CODE_LINE", String(event.line)),
            ("CODE_FUNC", event.function),
        ]
        for key in merged.keys.sorted() {
            guard let value = merged[key] else { continue }
            fields.append((Self.fieldName(key), self.redactor.redact("\(value)")))
        }
        if !Self.send(Self.encode(fields), to: self.socketPath) {
            self.fallback.log(event: event)
        }
    }

    /// syslog priorities: critical 2, error 3, warning 4, notice 5, info 6, debug and trace 7.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .critical: 2
        case .error: 3
        case .warning: 4
        case .notice: 5
        case .info: 6
        case .debug, .trace: 7
        }
    }

    /// A journal field name for a metadata key: upper case, anything but letters and digits as `_`, no
    /// leading `_` (those are the journal's own trusted fields), at most 64 characters. `run.id` → `RUN_ID`.
    static func fieldName(_ key: String) -> String {
        var name = String(
            key.uppercased().unicodeScalars.map { scalar -> Character in
                ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
            }
        )
        while name.hasPrefix("_") { name.removeFirst() }
        if name.isEmpty || name.first!.isNumber { name = "F" + name }
        return String(name.prefix(64))
    }

    /// The datagram: `NAME=value\n` per field, or for values with a newline `NAME\n`, the value's length as a
    /// 64-bit little-endian number, the value, `\n` (the protocol's binary-safe form).
    static func encode(_ fields: [(String, String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (name, value) in fields {
            let utf8 = Array(value.utf8)
            if utf8.contains(UInt8(ascii: "\n")) {
                bytes += Array(name.utf8) + [UInt8(ascii: "\n")]
                withUnsafeBytes(of: UInt64(utf8.count).littleEndian) { bytes += $0 }
                bytes += utf8 + [UInt8(ascii: "\n")]
            } else {
                bytes += Array(name.utf8) + [UInt8(ascii: "=")] + utf8 + [UInt8(ascii: "\n")]
            }
        }
        return bytes
    }

    /// Sends one datagram; false when it could not be sent (no journal, or too large).
    static func send(_ datagram: [UInt8], to path: String) -> Bool {
        guard let address = UnixSocketAddress(path) else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let sent = address.withSockaddr { sockaddr, length in
            datagram.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sockaddr, length) }
        }
        return sent == datagram.count
    }
}
