public import Foundation

/// Time-ordered identifiers (ULID layout: 48-bit milliseconds + 80 random bits, Crockford base32, 26 chars),
/// so ids sort by creation and are unique without coordination.
public enum RunID {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    /// An id for `date` with random bits from one system draw stretched by `SplitMix64`.
    public static func make(at date: Date = Date()) -> String {
        var generator = SplitMix64()
        return self.make(at: date, using: &generator)
    }

    public static func make(at date: Date, using generator: inout some RandomNumberGenerator) -> String {
        let ms = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        return String(unsafeUninitializedCapacity: 26) { buffer in
            var i = 0
            for shift in stride(from: 45, through: 0, by: -5) {
                buffer[i] = self.alphabet[Int((ms >> UInt64(shift)) & 31)]
                i += 1
            }
            for _ in 0..<16 {
                buffer[i] = self.alphabet[Int(generator.next() & 31)]
                i += 1
            }
            return i
        }
    }
}

/// SplitMix64: a small, fast generator stretching one 64-bit seed.
///
/// Ids take it seeded from one system draw: `RunID.make` takes 16 values per id and the system generator makes a
/// `getrandom` call for each, which showed in the webhook ingest's profile (two ids per delivery). Ids only need
/// to be unique, not secret. Property tests seed it with a constant to be reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { self.state = seed }

    init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
