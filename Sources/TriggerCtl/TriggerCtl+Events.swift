import ArgumentParser
import Engine

extension TriggerCtl {
    /// `triggerctl emit NAME [--key KEY] [--data JSON|@FILE]`.
    struct Emit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Emit an event: resume runs waiting for it and start workflows triggered by it."
        )

        @Argument(help: ArgumentHelp("The event name, e.g. order.paid.", valueName: "name")) var name: String

        @Option(help: ArgumentHelp("Correlation key matched by wait_for_event.", valueName: "key")) var key: String?

        @Option(help: ArgumentHelp("The event's data: JSON, @FILE or @- for stdin.", valueName: "json"))
        var data: String?

        @OptionGroup var options: GlobalOptions

        func validate() throws {
            if self.name.isEmpty { throw ValidationError("the event name is empty") }
        }

        func run() async throws {
            let data = try self.data.map { value throws(CtlFailure) in try InputArgument.json(value, option: "--data") }
            let answer = try await self.options.connection().json(.emit(name: self.name, key: self.key, data: data))
            if self.options.json { return self.options.printJSON(answer) }
            CtlContext.current.console.out(Self.render(answer, name: self.name))
        }

        /// `emitted NAME as event ID`, then the runs it resumed and started.
        static func render(_ answer: JSONValue, name: String) -> String {
            var out = "emitted \(name)"
            if let id = answer["event_id"]?.stringValue { out += " as event \(id)" }
            out += "\n"
            var table = TextTable([])
            for key in ["resumed", "started"] {
                let ids = (answer[key]?.arrayValue ?? []).compactMap(\.stringValue)
                table.add([key, ids.isEmpty ? "no runs" : ids.joined(separator: ", ")])
            }
            return out + table.render()
        }
    }
}
