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
            if !self.follow {
                let reply = try await connection.send(.runEvents(self.runID))
                // A daemon without the stored-events route still streams them (replay first), so use that.
                if !reply.isMissingRoute {
                    let events = try reply.json()
                    for event in events.arrayValue ?? [] { printEvent(event) }
                    return
                }
            }
            _ = try await RunFollower(connection: connection, runID: self.runID).follow(onEvent: printEvent)
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
