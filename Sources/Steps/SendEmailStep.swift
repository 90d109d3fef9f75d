public import Engine
import Foundation
import Logging

/// `send_email`: one message over SMTP to the server of the configuration's `smtp:` block (SPEC §6).
///
/// `with`: `to` (required), `cc`, `bcc` (each an address, a comma-separated string or a list; `Name
/// <addr>` allowed), `from` (default `smtp.from`), `subject` (required; UTF-8 is RFC 2047-encoded),
/// `text`, `html` (both → `multipart/alternative`). Bcc recipients go in the envelope only.
///
/// The `Message-ID` is derived from the run, the step and the `for_each` index, so every retry of one
/// message carries the same id. Output: `message_id`. A 5xx reply fails the step for good; a 4xx reply, a
/// timeout or a refused connection fails the attempt as retryable.
public struct SendEmailStep: StepExecutor {
    public let kind = "send_email"
    let transport: any MailTransport
    let smtp: SMTPConfiguration?
    let secrets: [String: String]

    /// - Parameters:
    ///   - smtp: the configuration's `smtp:` block; without one every attempt fails with a clear message.
    ///   - secrets: for templates in that block (`password: "{{ secrets.SMTP_PASSWORD }}"`).
    public init(transport: any MailTransport, smtp: SMTPConfiguration?, secrets: [String: String]) {
        self.transport = transport
        self.smtp = smtp
        self.secrets = secrets
    }

    public func execute(_ request: StepRequest) async throws -> StepOutcome {
        guard let smtp = self.smtp else {
            throw StepFailure(
                "send_email needs an 'smtp:' block with 'url' in the daemon configuration", retryable: false)
        }
        let settings = try self.settings(smtp, secrets: request.secrets(fallback: self.secrets))
        let composer = try Self.composer(request, defaultFrom: smtp.from)
        let message = composer.compose()
        var logger = request.logger
        logger[metadataKey: LogKey.stepKind] = "\(self.kind)"
        logger[metadataKey: LogKey.smtpServer] = "\(settings.label)"
        do {
            _ = try await self.transport.sendMail(message, via: settings)
        } catch let error as TransportError {
            logger.debug("SMTP delivery failed", metadata: [LogKey.error: "\(error.message)"])
            throw Self.failure(error)
        }
        logger.debug("SMTP delivery accepted")
        return .completed(["message_id": .string("<\(composer.messageID)>")])
    }

    private func settings(_ smtp: SMTPConfiguration, secrets: [String: String]) throws -> SMTPSettings {
        guard let url = try ConfigValue.resolve(smtp.url, key: "smtp.url", secrets: secrets) else {
            throw StepFailure("configuration 'smtp.url' is empty", retryable: false)
        }
        return SMTPSettings(
            url: url,
            username: try ConfigValue.resolve(smtp.username, key: "smtp.username", secrets: secrets),
            password: try ConfigValue.resolve(smtp.password, key: "smtp.password", secrets: secrets),
            starttls: SMTPSettings.StartTLS(rawValue: smtp.starttls) ?? .auto)
    }

    static func composer(_ request: StepRequest, defaultFrom: String?) throws -> MailComposer {
        let with = request.with
        guard let fromText = with["from"]?.stringValue ?? defaultFrom else {
            throw StepFailure("send_email needs 'with.from' or 'smtp.from' in the configuration", retryable: false)
        }
        let from = try MailAddress.parse(fromText, field: "from")
        let to = try MailAddress.list(with["to"], field: "to")
        guard !to.isEmpty else { throw StepFailure("'with.to' names no recipient", retryable: false) }
        guard let subject = with["subject"], subject != .null else {
            throw StepFailure("'with.subject' is missing", retryable: false)
        }
        func body(_ field: String) -> String? { with[field].flatMap { $0 == .null ? nil : $0.interpolated } }
        return MailComposer(
            from: from, to: to, cc: try MailAddress.list(with["cc"], field: "cc"),
            bcc: try MailAddress.list(with["bcc"], field: "bcc"), subject: subject.interpolated, text: body("text"),
            html: body("html"), date: request.now, messageID: "triggerd.\(DeliveryKey.make(request))@\(from.domain)")
    }

    /// SMTP replies say whether to try again: 4xx is temporary, 5xx permanent (RFC 5321 §4.2.1).
    static func failure(_ error: TransportError) -> StepFailure {
        if let reply = self.replyCode(error.message) {
            return StepFailure(error.message, retryable: !(500...599).contains(reply))
        }
        return HTTPOutcome.failure(error)
    }

    /// The reply code the transport appends as "(last SMTP reply NNN)".
    static func replyCode(_ message: String) -> Int? {
        guard let range = message.range(of: "last SMTP reply ", options: .backwards) else { return nil }
        return Int(message[range.upperBound...].prefix(3))
    }
}
