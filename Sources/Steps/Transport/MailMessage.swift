/// One e-mail ready for SMTP: the envelope plus the complete message.
public struct MailMessage: Sendable {
    /// The envelope sender (`MAIL FROM`), a bare address such as `triggerd@example.org`.
    public var from: String
    /// The envelope recipients (`RCPT TO`): every To, Cc and Bcc address, bare.
    public var recipients: [String]
    /// The complete RFC 5322 message, headers and body, with CRLF line endings. Lines that start with
    /// a dot are escaped by the transport.
    public var data: [UInt8]

    /// Creates a message.
    public init(from: String, recipients: [String], data: [UInt8]) {
        self.from = from
        self.recipients = recipients
        self.data = data
    }
}
