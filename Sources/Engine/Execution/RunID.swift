public import Foundation
import Synchronization

/// Time-ordered identifiers (ULID layout: 48-bit milliseconds + 80 random bits, Crockford base32, 26 chars),
/// so ids sort by creation and are unique without coordination.
public enum RunID {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    /// An id for `date` with random bits from the process-wide SplitMix64 stream (seeded once from the system).
    public static func make(at date: Date = Date()) -> String {
        var generator = SplitMix64.shared()
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
/// Ids draw from one process-wide stream seeded once from the system: `RunID.make` takes 16 values per id, and
/// the system generator makes a `getrandom` call for each (later: one per id), which showed in the webhook
/// ingest's profile. Ids only need to be unique, not secret; SplitMix64's state is a counter, so the stream
/// never repeats a value within 2^64 draws. Property tests seed it with a constant to be reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { self.state = seed }

    init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    private static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15
    private static let counter: Atomic<UInt64> = {
        var system = SystemRandomNumberGenerator()
        return Atomic(system.next())
    }()

    /// A generator over the next 16 values of the process-wide stream (one atomic add; enough for one id).
    static func shared() -> SplitMix64 {
        let end = self.counter.wrappingAdd(16 &* self.gamma, ordering: .relaxed).newValue
        return SplitMix64(seed: end &- 16 &* self.gamma)
    }

    mutating func next() -> UInt64 {
        self.state &+= Self.gamma
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
