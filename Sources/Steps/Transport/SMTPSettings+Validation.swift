extension SMTPSettings {
    /// `SMTP url` with credentials removed, the way errors name the server.
    var label: String { "SMTP \(TransportError.redacted(self.url))" }

    /// Refuses a message that cannot be sent as given, before libcurl sees it.
    func validate(_ message: MailMessage) throws(TransportError) {
        func refuse(_ what: String) -> TransportError {
            TransportError(.invalidRequest, "\(self.label): \(what)")
        }
        let lowered = self.url.lowercased()
        guard lowered.hasPrefix("smtp://") || lowered.hasPrefix("smtps://") else {
            throw refuse("the server URL must start with smtp:// or smtps://")
        }
        guard self.timeout >= 0, self.timeout.isFinite, self.connectTimeout >= 0, self.connectTimeout.isFinite else {
            throw refuse("timeouts must be finite and not negative")
        }
        guard !message.recipients.isEmpty else { throw refuse("the message has no recipients") }
        for address in [message.from] + message.recipients {
            // The address goes inside "<...>" on an SMTP command line.
            let bad = address.isEmpty || address.utf8.contains { $0 <= 0x20 || $0 == 0x7F || $0 == 0x3C || $0 == 0x3E }
            guard !bad else { throw refuse("'\(address)' is not a usable e-mail address") }
        }
    }
}
