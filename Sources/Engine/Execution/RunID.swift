public import Foundation

/// Time-ordered identifiers (ULID layout: 48-bit milliseconds + 80 random bits, Crockford base32, 26 chars),
/// so ids sort by creation and are unique without coordination.
public enum RunID {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

    public static func make(at date: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        return self.make(at: date, using: &generator)
    }

    public static func make(at date: Date, using generator: inout some RandomNumberGenerator) -> String {
        let ms = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var chars: [Character] = []
        chars.reserveCapacity(26)
        for shift in stride(from: 45, through: 0, by: -5) {
            chars.append(self.alphabet[Int((ms >> UInt64(shift)) & 31)])
        }
        for _ in 0..<16 {
            chars.append(self.alphabet[Int(generator.next() & 31)])
        }
        return String(chars)
    }
}
