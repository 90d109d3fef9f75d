import ArgumentParser
import Engine
import Foundation

extension TriggerCtl {
    /// `triggerctl token create NAME --role ROLE | token list | token revoke NAME` (SPEC §11).
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage console tokens (viewer, operator, admin).",
            subcommands: [Create.self, List.self, Revoke.self]
        )
    }
}

extension TriggerCtl.Token {
    /// `triggerctl token create NAME --role viewer|operator|admin`: prints the token once.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it (only now: just its SHA-256 is stored)."
        )

        @Argument(help: ArgumentHelp("The token's name (shown in records as who acted).", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("viewer, operator or admin.", valueName: "role")) var role: String

        @OptionGroup var options: GlobalOptions

        func validate() throws {
            guard ConsoleToken.Role(rawValue: self.role) != nil else {
                throw ValidationError("--role must be viewer, operator or admin, got '\(self.role)'")
            }
        }

        func run() async throws {
            let answer = try await self.options.connection().json(.createToken(name: self.name, role: self.role))
            if self.options.json { return self.options.printJSON(answer) }
            let context = CtlContext.current
            context.say(answer["token"]?.stringValue ?? "")
            context.warn("token '\(self.name)' (\(self.role)) created; it is not shown again")
        }
    }

    /// `triggerctl token list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (names and roles, never secrets).")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let tokens = try await self.options.connection().json(.tokens)
            if self.options.json { return self.options.printJSON(tokens) }
            let list = tokens.arrayValue ?? []
            guard !list.isEmpty else { return CtlContext.current.say("no tokens") }
            var table = TextTable(["NAME", "ROLE", "CREATED", "BY"])
            for token in list {
                table.add([
                    .init(token["name"]?.stringValue ?? ""), .init(token["role"]?.stringValue ?? ""),
                    .init(token["created_at"]?.stringValue.map { HumanTime.timestamp($0) } ?? ""),
                    .init(token["created_by"]?.stringValue ?? ""),
                ])
            }
            CtlContext.current.console.out(table.render())
        }
    }

    /// `triggerctl token revoke NAME`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token; it stops working at once.")

        @Argument(help: ArgumentHelp("The token's name.", valueName: "name")) var name: String

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let answer = try await self.options.connection().json(.revokeToken(self.name))
            if self.options.json { return self.options.printJSON(answer) }
            CtlContext.current.say("token '\(self.name)' revoked")
        }
    }
}
