import ArgumentParser
import Engine
import Foundation

/// What `webhook sign` and `webhook send` need to sign a body as a sender would: the scheme, the secret, and
/// the `hmac` details.
///
/// The secret is literal text, `@FILE` (the file's contents without the final newline) or, with `--secrets FILE`,
/// the name of a secret in that `NAME=value` file (the daemon's own secrets file, read by the same rules).
struct WebhookSigningOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The verification scheme.", valueName: "scheme")) var scheme: String

    @Option(
        help: ArgumentHelp(
            "The shared secret (for standard, whsec_<base64>), @FILE, or with --secrets the secret's name.",
            valueName: "secret"
        )
    )
    var secret: String

    @Option(
        help: ArgumentHelp(
            "A secrets file (NAME=value lines, mode 0600) in which --secret names the secret, e.g. .triggerd/secrets.env.",
            valueName: "file"
        )
    )
    var secrets: String?

    @Option(help: ArgumentHelp("The request body: text, @FILE, or @- for stdin (default empty).", valueName: "body"))
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

    func validate() throws {
        guard let scheme = WebhookScheme(rawValue: self.scheme) else {
            let known = WebhookScheme.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown scheme '\(self.scheme)'; expected one of: \(known)")
        }
        if scheme != .hmac, self.header != nil || self.algorithm != nil || self.encoding != nil || self.prefix != nil {
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

    /// The body's bytes (empty without `--body`).
    func bodyBytes() throws(CtlFailure) -> [UInt8] {
        try self.body.map { value throws(CtlFailure) in try InputArgument.bytes(value, option: "--body") } ?? []
    }

    /// The secret's value, from the argument, a file, or a secrets file.
    func secretValue() throws(CtlFailure) -> String {
        if let file = self.secrets {
            let context = CtlContext.current
            let path = file.hasPrefix("/") ? file : context.workingDirectory + "/" + file
            let values: [String: String]
            do {
                values = try SecretStore.load(file: path, credentialsDirectory: nil)
            } catch {
                throw .usage("--secrets: \(error.description)")
            }
            guard let value = values[self.secret] else {
                let names = values.keys.sorted().joined(separator: ", ")
                throw .usage(
                    "--secret: no secret named '\(self.secret)' in \(file) (it has: \(names.isEmpty ? "none" : names))"
                )
            }
            return value
        }
        guard self.secret.hasPrefix("@") else { return self.secret }
        var text = String(decoding: try InputArgument.bytes(self.secret, option: "--secret"), as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text
    }

    /// The headers a sender of `scheme` adds to `body` at `now`.
    func sign(_ body: [UInt8], now: Date) throws(CtlFailure) -> [(name: String, value: String)] {
        guard let scheme = WebhookScheme(rawValue: self.scheme) else {
            throw CtlFailure.usage("unknown scheme '\(self.scheme)'")
        }
        let secret = try self.secretValue()
        do {
            return try WebhookSigner.sign(
                scheme: scheme,
                secret: secret,
                body: body,
                timestamp: self.timestamp.flatMap(Self.parseTime) ?? now,
                id: self.id ?? Self.randomID(for: scheme),
                header: self.header,
                algorithm: self.algorithm.flatMap(WebhookHMACAlgorithm.init(rawValue:)) ?? .sha256,
                encoding: self.encoding.flatMap(WebhookSignatureEncoding.init(rawValue:)) ?? .hex,
                prefix: self.prefix ?? ""
            )
        } catch {
            throw CtlFailure.usage("cannot sign: \(error)")
        }
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
