/// Sends e-mail for `send_email`. `CurlTransport` speaks SMTP; tests use a fake that records messages.
///
/// ```swift
/// let code = try await transport.sendMail(message, via: SMTPSettings(url: "smtp://127.0.0.1:25"))
/// ```
public protocol MailTransport: Sendable {
    /// Delivers `message` to the server in `settings`.
    ///
    /// - Returns: the server's last SMTP reply code (250 when the message was accepted).
    /// - Throws: `TransportError` when the server could not be reached, refused the login, a sender or
    ///   a recipient, or the message; `CancellationError` when the task is cancelled.
    func sendMail(_ message: MailMessage, via settings: SMTPSettings) async throws -> Int
}
