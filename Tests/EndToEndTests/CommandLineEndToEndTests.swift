import Foundation
import Testing

/// The command lines of the real binaries: `triggerd`'s help and usage errors, paging through `triggerctl runs`,
/// and `triggerctl test` of a file that is not there.
@Suite("end to end: command lines", .serialized)
struct CommandLineEndToEndTests {
    static let triggerd = DaemonProcess.binDirectory + "/triggerd"
    static let triggerctl = DaemonProcess.binDirectory + "/triggerctl"

    @Test func triggerdNamesItselfInHelpAndUsageErrorsExit2() {
        let help = CommandResult.run([Self.triggerd, "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("OVERVIEW: The workflow trigger daemon"), "\(help.stdout)")
        #expect(help.stdout.contains("USAGE: triggerd [--config <file>]"))
        for section in ["FILES:", "NETWORK:", "LOGGING:", "OPTIONS:"] {
            #expect(help.stdout.contains(section), "\(section)")
        }
        #expect(!help.stdout.contains("daemon ["))

        let bad = CommandResult.run([Self.triggerd, "--bogus"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("Unknown option '--bogus'"), "\(bad.stderr)")
        #expect(bad.stderr.contains("See 'triggerd --help'"), "\(bad.stderr)")
        let badValue = CommandResult.run([Self.triggerd, "--log-format", "xml"])
        #expect(badValue.status == 2)
        #expect(badValue.stderr.contains("--log-format must be text or json, not 'xml'"), "\(badValue.stderr)")
    }

    @Test func triggerctlTestOfAMissingFileIsAUsageError() {
        let missing = CommandResult.run([Self.triggerctl, "test", "/nonexistent/MISSING.yaml"])
        #expect(missing.status == 2)
        #expect(
            missing.stderr == "triggerctl: cannot read the workflow file '/nonexistent/MISSING.yaml': no such file\n"
        )
    }

    @Test func runsPagesThroughEveryRunWithTheNextPageLine() throws {
        let daemon = try DaemonProcess(workflows: [
            "tiny.yaml": "name: tiny\nsteps:\n  a: { type: transform, with: { value: 1 } }\n"
        ])
        defer { daemon.stop() }
        try daemon.start()
        var started: [String] = []
        var between = ""
        for index in 0..<7 {
            let result = daemon.ctl(["run", "tiny", "--json"])
            let answer = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            )
            started.append(try #require(answer["run_id"] as? String))
            if index == 2 {
                // A time strictly between the third and the fourth run's creation.
                usleep(20_000)
                between = ISO8601DateFormatter.withMilliseconds.string(from: Date())
                usleep(20_000)
            }
        }

        // Follow the "next page" line until a page ends without one.
        var listed: [String] = []
        var arguments = ["runs", "--limit", "3"]
        var pages = 0
        while pages < 10 {
            pages += 1
            let page = daemon.ctl(arguments)
            #expect(page.status == 0, "\(page.stderr)")
            let lines = page.stdout.split(separator: "\n").map(String.init)
            listed += lines.dropFirst().filter { !$0.hasPrefix("next page: ") }.map { String($0.prefix { $0 != " " }) }
            guard let next = lines.last, next.hasPrefix("next page: triggerctl ") else { break }
            arguments = next.dropFirst("next page: triggerctl ".count).split(separator: " ").map(String.init)
        }
        #expect(pages == 3, "7 runs in pages of 3, the last short")
        #expect(listed == Array(started.reversed()), "newest first, each run once")

        // --before a time: the runs created before it, newest first.
        let older = try #require(try daemon.ctlJSON(["runs", "--before", between]) as? [[String: Any]])
        #expect(older.compactMap { $0["id"] as? String } == Array(started.prefix(3).reversed()), "before \(between)")

        let unknown = daemon.ctl(["runs", "--before", "no-such-run"])
        #expect(unknown.status == 1)
        #expect(
            unknown.stderr.contains("before='no-such-run' is neither a run id nor an RFC 3339 time"),
            "\(unknown.stderr)"
        )
    }
}

extension ISO8601DateFormatter {
    /// RFC 3339 in UTC with milliseconds, as the daemon writes times.
    static var withMilliseconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
