/// One header field, kept in the order it was given or received.
public struct HTTPHeader: Sendable, Hashable, CustomStringConvertible {
    /// The field name. Responses always carry it lower-cased.
    public var name: String
    /// The field value, without surrounding whitespace.
    public var value: String

    /// Creates a header field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `name: value`, as on the wire.
    public var description: String { "\(self.name): \(self.value)" }
}
