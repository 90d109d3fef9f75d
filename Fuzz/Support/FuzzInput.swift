/// Splits a fuzz input into the parts a target needs, so seed files stay readable text.
///
/// The convention for every target with more than one part: parts are separated by a line holding only
/// `---` (the last part takes the rest of the input), so a seed is written like a small document.
public struct FuzzInput {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The input as text; invalid UTF-8 is repaired with U+FFFD (the engine receives Swift strings).
    public var text: String { String(decoding: self.bytes, as: UTF8.self) }

    /// Up to `count` parts separated by `\n---\n`, as text; fewer when the input has fewer separators.
    public func parts(_ count: Int) -> [String] {
        self.byteParts(count).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Up to `count` parts separated by `\n---\n`, as raw bytes (for request bodies).
    public func byteParts(_ count: Int) -> [[UInt8]] {
        let separator: [UInt8] = Array("\n---\n".utf8)
        var out: [[UInt8]] = []
        var start = 0
        var index = 0
        while out.count < count - 1, index + separator.count <= self.bytes.count {
            if self.bytes[index..<index + separator.count].elementsEqual(separator) {
                out.append(Array(self.bytes[start..<index]))
                index += separator.count
                start = index
            } else {
                index += 1
            }
        }
        out.append(Array(self.bytes[start...]))
        return out
    }

    /// A stable choice among `count` options from `text` (FNV-1a), for picking zones, schemes and such.
    public static func pick(_ text: String, among count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int(hash % UInt64(max(count, 1)))
    }
}

/// Stops the fuzzer with a message when a property the engine promises does not hold.
public func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz property violated: \(message())") }
}
