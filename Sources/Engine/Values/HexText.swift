/// Lower-case hexadecimal text of bytes: digests, MACs, tokens. One definition for the webhook verifiers, the
/// expression functions (`sha256`, `hmacSha256`, `hexEncode`), console CSRF tokens and one-time links.
public enum HexText {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func lowercase<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(self.digits[Int(byte >> 4)])
            out.append(self.digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
