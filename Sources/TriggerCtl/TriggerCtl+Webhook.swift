import ArgumentParser
import Engine
import Foundation

extension TriggerCtl {
    /// `triggerctl webhook ...`: helpers for testing webhook triggers.
    struct Webhook: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Helpers for testing webhook triggers: sign a body, or sign and send it.",
            subcommands: [Sign.self, Send.self]
        )
    }
}

extension TriggerCtl.Webhook {
    /// `triggerctl webhook sign --scheme S --secret X [--body @FILE]`, plus `--header H --algorithm A
    /// --encoding E --prefix P` for `hmac`.
    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the headers a sender would add, to test a webhook trigger with curl.",
            discussion: """
                Schemes: \(WebhookScheme.allCases.map(\.rawValue).joined(separator: ", ")). --header, --algorithm, \
                --encoding and --prefix apply to hmac only.
                """
        )

        @OptionGroup var signing: WebhookSigningOptions

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let context = CtlContext.current
            let headers = try self.signing.sign(try self.signing.bodyBytes(), now: context.now())
            if self.options.json {
                var object: [String: JSONValue] = [:]
                for header in headers { object[header.name] = .string(header.value) }
                return self.options.printJSON(.object(object))
            }
            for header in headers { context.say("\(header.name): \(header.value)") }
        }
    }
}
