import ArgumentParser
import Engine

extension TriggerCtl {
    /// `triggerctl logs RUN [-f]`: the run's events.
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a run's events; -f follows them live until the run ends.",
            discussion: "With --json, each event is printed as one line of compact JSON (SPEC §7 shape)."
        )

        @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runID: String

        @Flag(name: [.customShort("f"), .customLong("follow")], help: "Keep printing events until the run ends.")
        var follow = false

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let context = CtlContext.current
            let connection = self.options.connection()
            let json = self.options.json
            let palette = context.palette
            let printEvent: @Sendable (JSONValue) -> Void = { event in
                context.say(json ? event.jsonString() : EventLine.render(event, showRun: false, palette: palette))
            }
            if !self.follow, try await Self.printStored(self.runID, connection: connection, onEvent: printEvent) {
                return
            }
            _ = try await RunFollower(connection: connection, runID: self.runID).follow(onEvent: printEvent)
        }

        /// Events asked for per request; the daemon's most.
        static let pageSize = 1000

        /// Prints every stored event of the run, page by page; false when the daemon has no stored-events route
        /// (an older daemon), so the caller follows the stream instead, which replays them.
        static func printStored(
            _ runID: String, connection: any DaemonConnection, onEvent: (JSONValue) -> Void
        ) async throws -> Bool {
            var after: Int64 = 0
            while true {
                let reply = try await connection.send(.runEvents(runID, after: after, limit: Self.pageSize))
                if reply.isMissingRoute && after == 0 { return false }
                let page = try reply.json().arrayValue ?? []
                for event in page { onEvent(event) }
                guard page.count >= Self.pageSize, let last = page.last?["seq"]?.intValue, Int64(last) > after else {
                    return true
                }
                after = Int64(last)
            }
        }
    }

    /// `triggerctl watch`: every event of every run, live.
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every run's events live, until interrupted.",
            discussion: "With --json, each event is printed as one line of compact JSON (SPEC §7 shape)."
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let context = CtlContext.current
            let json = self.options.json
            let palette = context.palette
            try await self.options.connection().stream(.eventStream()) { event in
                if let value = try? JSONValue.parse(event.data) {
                    context.say(json ? value.jsonString() : EventLine.render(value, showRun: true, palette: palette))
                }
                return true
            }
            throw CtlFailure.failed("the daemon ended the event stream (is it shutting down?)")
        }
    }
}
