import Engine
import Foundation
import Testing

@testable import Triggerd

@Suite("triggerd flags")
struct DaemonOptionsTests {
    /// The message of an invocation that exits, with its code.
    static func exit(_ arguments: [String]) -> (code: Int32, message: String)? {
        guard case .exit(let code, let message) = DaemonOptions.invocation(arguments) else { return nil }
        return (code, message)
    }

    @Test func helpNamesTriggerdSaysWhatItIsAndGroupsTheFlags() throws {
        let (code, help) = try #require(Self.exit(["--help"]))
        #expect(code == 0)
        #expect(
            help.hasPrefix("OVERVIEW: The workflow trigger daemon: cron, webhooks, events and manual runs.\n"),
            "\(help)"
        )
        #expect(help.contains("USAGE: triggerd [--config <file>] [--workflows <dir>]"), "\(help)")
        #expect(!help.contains("daemon ["))
        // Sections in man page order, each with its flags.
        let sections = try ["FILES:", "NETWORK:", "LOGGING:", "OPTIONS:"].map { title in
            try #require(help.range(of: title)?.lowerBound, "no \(title) in \(help)")
        }
        #expect(sections == sections.sorted())
        let network = help[sections[1]..<sections[2]]
        #expect(network.contains("--socket <path>") && network.contains("--listen <host:port>"))
        #expect(help[sections[0]..<sections[1]].contains("--secrets <file>"))
        #expect(help[sections[3]...].contains("--check-config"))
    }

    @Test(arguments: [
        (["--bogus"], "Unknown option '--bogus'"),
        (["--log-format", "xml"], "--log-format must be text or json, not 'xml'"),
        (["--listen", "nowhere"], "--listen must be HOST:PORT such as 127.0.0.1:8780, not 'nowhere'"),
        (["stray"], "Unexpected argument 'stray'"),
    ])
    func aBadCommandLineExits2NamingTriggerd(arguments: [String], reason: String) throws {
        let (code, message) = try #require(Self.exit(arguments))
        #expect(code == 2)
        #expect(message.contains(reason), "\(message)")
        #expect(message.contains("Usage: triggerd"), "\(message)")
    }

    @Test func flagsLandInTheirGroupsAndOverrideTheConfiguration() throws {
        let invocation = DaemonOptions.invocation([
            "--workflows", "/w", "--state-dir", "/s", "--socket", "/c.sock", "--listen", "127.0.0.1:9", "--secrets",
            "/x.env", "--log-format", "json", "--log-level", "debug", "--check-config",
        ])
        guard case .run(let options) = invocation else {
            Issue.record("refused: \(invocation)")
            return
        }
        let config = try options.resolve(environment: [:], fileExists: { _ in false })
        #expect(config.workflows == "/w" && config.stateDir == "/s" && config.socket == "/c.sock")
        #expect(config.listen == "127.0.0.1:9" && config.secrets == "/x.env")
        #expect(config.logFormat == "json" && config.logLevel == "debug")
        #expect(options.checkConfig)
    }
}
