import Foundation

/// Writes one RFC 5322 / MIME message: the headers, then a text part, an HTML part, or both as
/// `multipart/alternative`. Bodies are UTF-8 in quoted-printable. Bcc never appears in the message, only
/// in the envelope.
struct MailComposer {
    var from: MailAddress
    var to: [MailAddress]
    var cc: [MailAddress]
    var bcc: [MailAddress]
    var subject: String
    var text: String?
    var html: String?
    var date: Date
    /// Without angle brackets, e.g. `triggerd.run-1.notify@example.org`.
    var messageID: String

    /// The envelope and the complete message with CRLF line endings.
    func compose() -> MailMessage {
        var headers = [
            ("From", self.from.headerValue),
            ("To", self.addressList(self.to)),
        ]
        if !self.cc.isEmpty { headers.append(("Cc", self.addressList(self.cc))) }
        headers += [
            ("Subject", MailEncoding.unstructured(self.subject, name: "Subject")),
            ("Date", MailEncoding.date(self.date)),
            ("Message-ID", "<\(self.messageID)>"),
            ("MIME-Version", "1.0"),
        ]
        var lines = headers.map { "\($0.0): \($0.1)" }
        switch (self.text, self.html) {
        case (let text?, let html?):
            // "=_" cannot occur in quoted-printable output (a literal "=" is written "=3D"), so no body line
            // can ever look like this boundary.
            let boundary = "=_triggerd_alt_\(String(Self.fnv1a(self.messageID), radix: 16))"
            lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("This is a MIME message with a text and an HTML version.")
            lines.append("--\(boundary)")
            lines += self.part(text, type: "text/plain")
            lines.append("--\(boundary)")
            lines += self.part(html, type: "text/html")
            lines.append("--\(boundary)--")
        case (nil, let html?):
            lines += self.part(html, type: "text/html")
        case (let text, nil):
            lines += self.part(text ?? "", type: "text/plain")
        }
        let data = lines.joined(separator: "\r\n") + "\r\n"
        let recipients = (self.to + self.cc + self.bcc).map(\.address)
        var seen = Set<String>()
        return MailMessage(
            from: self.from.address, recipients: recipients.filter { seen.insert($0.lowercased()).inserted },
            data: Array(data.utf8))
    }

    /// One body part: its headers, a blank line, the encoded body.
    private func part(_ body: String, type: String) -> [String] {
        [
            "Content-Type: \(type); charset=UTF-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            MailEncoding.quotedPrintable(body),
        ]
    }

    /// FNV-1a, 64 bits: a boundary that is the same for every attempt of one message.
    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// Addresses separated by commas, one per folded line when there are several.
    private func addressList(_ addresses: [MailAddress]) -> String {
        addresses.map(\.headerValue).joined(separator: ",\r\n ")
    }
}
