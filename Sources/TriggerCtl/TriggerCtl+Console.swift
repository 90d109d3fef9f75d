import ArgumentParser
import Engine
import Foundation

extension TriggerCtl {
    /// `triggerctl console [--port N]`: the web console through the control socket, as this Unix user.
    struct ConsoleCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "console",
            abstract: "Open the web console on a loopback port, forwarding to the daemon as you.",
            discussion: """
                Prints a one-time link http://127.0.0.1:PORT/?token=...; the first request exchanges the token for \
                a session cookie. Every request is sent over the control socket, so decisions made in the browser \
                are recorded as the Unix user running this command. Ctrl-C stops the console.
                """
        )

        @Option(help: ArgumentHelp("Loopback port to listen on (default: a free one).", valueName: "n"))
        var port: Int = 0

        @OptionGroup var options: GlobalOptions

        func validate() throws {
            if !(0...65535).contains(self.port) { throw ValidationError("--port must be 0-65535, got \(self.port)") }
        }

        func run() async throws {
            // Check the daemon first, so an unreachable socket is exit 3 with the usual message.
            _ = try await self.options.connection().json(.status)
            let proxy: ConsoleProxy
            do {
                proxy = try ConsoleProxy(socketPath: self.options.socketPath, port: self.port)
            } catch {
                throw CtlFailure.failed("\(error)")
            }
            let context = CtlContext.current
            if self.options.json {
                context.say(JSONValue.object(["url": .string(proxy.gate.url), "port": .number(Double(proxy.gate.port))]).jsonString())
            } else {
                context.say("Console for \(self.options.socketPath), as \(ProcessInfo.processInfo.userName):")
                context.say("  \(proxy.gate.url)")
                context.say("The link works once. Ctrl-C stops the console.")
            }
            // Serves on its own thread until the process is stopped (or the listener fails).
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread {
                    proxy.serve()
                    done.resume()
                }
            }
        }
    }
}
