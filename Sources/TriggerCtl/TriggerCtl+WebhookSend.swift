import ArgumentParser
import Engine
import Foundation

extension TriggerCtl.Webhook {
    /// `triggerctl webhook send URL --scheme S --secret X --body JSON|@FILE [--wait]`: one signed delivery, as
    /// the sender would make it, and the listener's answer.
    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a body as `webhook sign` does and POST it to a webhook URL; print the answer.",
            discussion: """
                Exits 1 when the listener answers anything but 2xx (401: the signature or secret is wrong), 3 when \
                nothing answers. With --wait, a delivery that started a run is followed over the control socket \
                and the run is shown as `triggerctl show` shows it.
                """
        )

        @Argument(
            help: ArgumentHelp("The webhook's URL, e.g. http://127.0.0.1:8780/hooks/github-push.", valueName: "url")
        )
        var url: String

        @OptionGroup var signing: WebhookSigningOptions

        @Option(
            name: [.customShort("H"), .customLong("add-header")],
            help: ArgumentHelp(
                "Another header to send, 'Name: value' (repeatable), e.g. 'X-GitHub-Event: push'.",
                valueName: "header"
            )
        )
        var extraHeaders: [String] = []

        @Flag(help: "Wait for the run the delivery started (over the control socket), then show it.") var wait = false

        @OptionGroup var options: GlobalOptions

        func validate() throws {
            guard self.url.hasPrefix("http://") || self.url.hasPrefix("https://") else {
                throw ValidationError("the URL must start with http:// or https://, got '\(self.url)'")
            }
            for header in self.extraHeaders where Self.split(header) == nil {
                throw ValidationError("--add-header takes 'Name: value', got '\(header)'")
            }
        }

        func run() async throws {
            let context = CtlContext.current
            let body = try self.signing.bodyBytes()
            var headers = try self.signing.sign(body, now: context.now()).map {
                WebhookPost.Field(name: $0.name, value: $0.value)
            }
            let extra = self.extraHeaders.compactMap(Self.split)
            if !extra.contains(where: { $0.name.lowercased() == "content-type" }) {
                headers.append(WebhookPost.Field(name: "Content-Type", value: "application/json"))
            }
            headers += extra.map { WebhookPost.Field(name: $0.name, value: $0.value) }
            let response: ControlReply
            do {
                response = try await context.postWebhook(WebhookPost(url: self.url, headers: headers, body: body))
            } catch {
                throw CtlFailure(
                    exitCode: CtlFailure.unreachableCode,
                    message: "no answer from the webhook listener: \(error)"
                )
            }
            let text = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let answer = try? JSONValue.parse(bytes: response.body)
            guard response.isSuccess else {
                let message = answer?["error"]?["message"]?.stringValue ?? answer?["error"]?.stringValue ?? text
                throw CtlFailure.failed(
                    "the listener answered HTTP \(response.status)" + (message.isEmpty ? "" : ": \(message)")
                )
            }
            let runID = answer?["run_id"]?.stringValue
            if self.wait, let runID {
                let connection = self.options.connection()
                let final = try await RunFollower(connection: connection, runID: runID).follow { _ in }
                if self.options.json {
                    self.options.printJSON(final)
                } else {
                    context.say("HTTP \(response.status) \(text)")
                    context.console.out(RunView.render(final, palette: context.palette, now: context.now()))
                }
                if let failure = RunFollower.outcome(final) { throw failure }
                return
            }
            if self.options.json { return self.options.printJSON(answer ?? .string(text)) }
            context.say("HTTP \(response.status) \(text)")
            if let runID { context.say("started run \(runID); see: triggerctl show \(runID)") }
        }

        /// `Name: value` as its two parts; nil without a colon or a name.
        static func split(_ header: String) -> (name: String, value: String)? {
            guard let colon = header.firstIndex(of: ":") else { return nil }
            let name = header[..<colon].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { return nil }
            return (name, header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }
}
