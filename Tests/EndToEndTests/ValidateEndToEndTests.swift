import Foundation
import Testing

/// `triggerctl validate` on the real binary: each bad fixture prints exactly its diagnostics and exits 1; the
/// examples in etc/ exit 0. No daemon is involved.
@Suite("end to end: triggerctl validate")
struct ValidateEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let invalid = root.appendingPathComponent("Tests/Fixtures/workflows/invalid").path

    static var fixtures: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: invalid)) ?? []).filter { !$0.hasSuffix(".expected") }.sorted()
    }

    @Test(arguments: fixtures)
    func badFixturePrintsItsDiagnosticAndExitsOne(_ name: String) throws {
        let expected = try String(contentsOfFile: Self.invalid + "/" + name + ".expected", encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: DaemonProcess.binDirectory + "/triggerctl")
        p.arguments = ["validate", name]
        p.currentDirectoryURL = URL(fileURLWithPath: Self.invalid)
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        let diagnostics = stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("triggerctl: ") }
        #expect(diagnostics.joined(separator: "\n") == expected)
    }

    @Test func examplesValidate() {
        let result = CommandResult.run([DaemonProcess.binDirectory + "/triggerctl", "validate", Self.root.appendingPathComponent("etc/workflows").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
    }

    @Test func usageErrorsExitTwoAndAnUnreachableDaemonExitsThree() {
        let ctl = DaemonProcess.binDirectory + "/triggerctl"
        #expect(CommandResult.run([ctl, "runs", "--limit", "many"]).status == 2)
        #expect(CommandResult.run([ctl, "frobnicate"]).status == 2)
        let unreachable = CommandResult.run([ctl, "status", "--socket", "/tmp/no-such-dir-\(UUID().uuidString)/control.sock"])
        #expect(unreachable.status == 3)
        #expect(unreachable.stderr.contains("/tmp/no-such-dir-"))
    }
}
