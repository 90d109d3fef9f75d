import Engine
import Foundation
import Logging
import Testing

@testable import Triggerd

#if canImport(Glibc)
    import Glibc
#endif

@Suite("journald native logging")
struct JournalLogHandlerTests {
    /// The fields of one datagram in the journal's native format (text and binary-safe forms).
    static func fields(_ bytes: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        var index = 0
        while index < bytes.count {
            guard let end = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            let line = Array(bytes[index..<end])
            if let eq = line.firstIndex(of: UInt8(ascii: "=")) {
                fields[String(decoding: line[..<eq], as: UTF8.self)] = String(
                    decoding: line[(eq + 1)...],
                    as: UTF8.self
                )
                index = end + 1
            } else {
                let lengthStart = end + 1
                let length = bytes[lengthStart..<lengthStart + 8].enumerated().reduce(0) {
                    $0 | Int($1.element) << (8 * $1.offset)
                }
                let valueStart = lengthStart + 8
                fields[String(decoding: line, as: UTF8.self)] = String(
                    decoding: bytes[valueStart..<valueStart + length],
                    as: UTF8.self
                )
                index = valueStart + length + 1
            }
        }
        return fields
    }

    @Test func recordsArriveAsStructuredFieldsWithSecretsMasked() throws {
        let directory = try UnixTestSocket.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/journal"
        let fd = try UnixTestSocket.bindDatagram(path)
        defer { close(fd) }
        let handler = JournalLogHandler(
            label: "triggerd",
            logLevel: .info,
            redactor: LogRedaction(secrets: ["hunter2-secret"]),
            socketPath: path
        )
        var logger = Logger(label: "triggerd", factory: { _ in handler })
        logger[metadataKey: LogKey.runID] = "01JRUN"
        logger.warning(
            "Step failed",
            metadata: [
                LogKey.workflow: "deploy", LogKey.step: "push",
                LogKey.error: "token hunter2-secret refused\nsecond line",
            ]
        )

        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = recv(fd, &buffer, buffer.count, 0)
        try #require(count > 0)
        let fields = Self.fields(Array(buffer[0..<count]))
        #expect(fields["MESSAGE"] == "Step failed")
        #expect(fields["PRIORITY"] == "4")
        #expect(fields["SYSLOG_IDENTIFIER"] == "triggerd")
        #expect(fields["RUN_ID"] == "01JRUN")
        #expect(fields["WORKFLOW"] == "deploy")
        #expect(fields["STEP"] == "push")
        // A value with a newline uses the binary-safe form; the secret is masked in it.
        #expect(fields["ERROR"] == "token *** refused\nsecond line")
    }

    @Test func fieldNamesFollowTheJournalsRules() {
        #expect(JournalLogHandler.fieldName("run.id") == "RUN_ID")
        #expect(JournalLogHandler.fieldName("net.peer") == "NET_PEER")
        #expect(JournalLogHandler.fieldName("_private") == "PRIVATE")
        #expect(JournalLogHandler.fieldName("1st") == "F1ST")
        #expect(JournalLogHandler.fieldName(String(repeating: "a", count: 80)).count == 64)
        #expect(JournalLogHandler.priority(.critical) == 2)
        #expect(JournalLogHandler.priority(.trace) == 7)
    }

    /// Device (when it has a path) and inode of stderr, worked out without `fstat`: from the `/proc/self/fd/2`
    /// link, `pipe:[INODE]` / `socket:[INODE]`, or a path whose attributes Foundation reads.
    static func stderrFromProc() throws -> (device: UInt64?, inode: UInt64) {
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/2")
        if let open = target.firstIndex(of: "["), target.hasSuffix("]"),
            let inode = UInt64(target[target.index(after: open)..<target.index(before: target.endIndex)])
        {
            return (nil, inode)
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: target)
        let device = try #require(attributes[.systemNumber] as? NSNumber).uint64Value
        let inode = try #require(attributes[.systemFileNumber] as? NSNumber).uint64Value
        return (device, inode)
    }

    @Test func stderrIdentityIsTheDeviceAndInodeOfFileDescriptorTwo() throws {
        let identity = try #require(JournalLogHandler.stderrIdentity())
        let expected = try Self.stderrFromProc()
        #expect(identity.inode == expected.inode)
        if let device = expected.device { #expect(identity.device == device) }
    }

    @Test func onlyAStderrThatIsTheJournalSwitchesToIt() throws {
        let identity = try #require(JournalLogHandler.stderrIdentity())
        let mine = "\(identity.device):\(identity.inode)"
        let directory = try UnixTestSocket.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/journal"
        let fd = try UnixTestSocket.bindDatagram(socket)
        defer { close(fd) }
        #expect(JournalLogHandler.stderrIsJournal(environment: ["JOURNAL_STREAM": mine], socketPath: socket))
        #expect(!JournalLogHandler.stderrIsJournal(environment: ["JOURNAL_STREAM": "1:2"], socketPath: socket))
        #expect(!JournalLogHandler.stderrIsJournal(environment: [:], socketPath: socket))
        #expect(
            !JournalLogHandler.stderrIsJournal(environment: ["JOURNAL_STREAM": mine], socketPath: directory + "/none")
        )
    }

    @Test func theStatusLineCountsRunsByState() {
        #expect(
            SystemdStatusService.line(workflows: 12, refused: 1, counts: [.running: 3, .waiting: 1, .completed: 40])
                == "12 workflows (1 refused); runs: 3 running, 1 waiting, 0 pending"
        )
        #expect(
            SystemdStatusService.line(workflows: 0, refused: 0, counts: [:])
                == "0 workflows; runs: 0 running, 0 waiting, 0 pending"
        )
    }
}
