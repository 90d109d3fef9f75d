import ArgumentParser
import Engine
import Foundation

extension TriggerCtl {
    /// `triggerctl webhook ...`: offline helpers for webhook triggers.
    struct Webhook: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Offline helpers for webhook triggers.",
            subcommands: [Sign.self]
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

        @Option(help: ArgumentHelp("The verification scheme.", valueName: "scheme")) var scheme: String

        @Option(help: ArgumentHelp("The shared secret (for standard, whsec_<base64>).", valueName: "secret"))
        var secret: String

        @Option(
            help: ArgumentHelp("The request body: text, @FILE, or @- for stdin (default empty).", valueName: "body")
        )
        var body: String?

        @Option(help: ArgumentHelp("hmac: the signature header (default X-Signature).", valueName: "name")) var header:
            String?

        @Option(help: ArgumentHelp("hmac: sha256 (default), sha1 or sha512.", valueName: "algorithm")) var algorithm:
            String?

        @Option(help: ArgumentHelp("hmac: hex (default) or base64.", valueName: "encoding")) var encoding: String?

        @Option(help: ArgumentHelp("hmac: text before the signature, e.g. sha256=.", valueName: "prefix")) var prefix:
            String?

        @Option(help: ArgumentHelp("Signing time: Unix seconds or RFC 3339 (default now).", valueName: "time"))
        var timestamp: String?

        @Option(
            help: ArgumentHelp(
                "Delivery id (standard: webhook-id; github: X-GitHub-Delivery; default random).",
                valueName: "id"
            )
        )
        var id: String?

        @OptionGroup var options: GlobalOptions

        func validate() throws {
            guard let scheme = WebhookScheme(rawValue: self.scheme) else {
                let known = WebhookScheme.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("unknown scheme '\(self.scheme)'; expected one of: \(known)")
            }
            if scheme != .hmac,
                self.header != nil || self.algorithm != nil || self.encoding != nil || self.prefix != nil
            {
                throw ValidationError("--header, --algorithm, --encoding and --prefix apply only to --scheme hmac")
            }
            if let algorithm, WebhookHMACAlgorithm(rawValue: algorithm) == nil {
                throw ValidationError("unknown algorithm '\(algorithm)'; expected sha256, sha1 or sha512")
            }
            if let encoding, WebhookSignatureEncoding(rawValue: encoding) == nil {
                throw ValidationError("unknown encoding '\(encoding)'; expected hex or base64")
            }
            if let timestamp, Self.parseTime(timestamp) == nil {
                throw ValidationError("--timestamp must be Unix seconds or RFC 3339, got '\(timestamp)'")
            }
        }

        func run() async throws {
            let context = CtlContext.current
            guard let scheme = WebhookScheme(rawValue: self.scheme) else {
                throw CtlFailure.usage("unknown scheme '\(self.scheme)'")
            }
            let body =
                try self.body.map { value throws(CtlFailure) in try InputArgument.bytes(value, option: "--body") } ?? []
            let headers: [(name: String, value: String)]
            do {
                headers = try WebhookSigner.sign(
                    scheme: scheme,
                    secret: self.secret,
                    body: body,
                    timestamp: self.timestamp.flatMap(Self.parseTime) ?? context.now(),
                    id: self.id ?? Self.randomID(for: scheme),
                    header: self.header,
                    algorithm: self.algorithm.flatMap(WebhookHMACAlgorithm.init(rawValue:)) ?? .sha256,
                    encoding: self.encoding.flatMap(WebhookSignatureEncoding.init(rawValue:)) ?? .hex,
                    prefix: self.prefix ?? ""
                )
            } catch {
                throw CtlFailure.usage("cannot sign: \(error)")
            }
            if self.options.json {
                var object: [String: JSONValue] = [:]
                for header in headers { object[header.name] = .string(header.value) }
                return self.options.printJSON(.object(object))
            }
            for header in headers { context.say("\(header.name): \(header.value)") }
        }

        /// Unix seconds (`1767225600`) or RFC 3339.
        static func parseTime(_ text: String) -> Date? {
            if let seconds = Int64(text) { return Date(timeIntervalSince1970: Double(seconds)) }
            return Timestamp.parse(text)
        }

        /// A fresh delivery id in the form the scheme's senders use; empty where the scheme has none.
        static func randomID(for scheme: WebhookScheme) -> String {
            switch scheme {
            case .standard: "msg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            case .github: UUID().uuidString.lowercased()
            default: ""
            }
        }
    }
}
