/// Random bits for delivery ids: one draw from the system generator, stretched with SplitMix64.
///
/// `RunID.make` asks its generator for 16 values; the system generator makes a `getrandom` call for each, which
/// showed up in the ingest's profile. Ids only need to be unique, not secret, so one seeded stream per id is enough.
struct DeliveryIDGenerator: RandomNumberGenerator {
    private var state: UInt64

    init() {
        var system = SystemRandomNumberGenerator()
        self.state = system.next()
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
