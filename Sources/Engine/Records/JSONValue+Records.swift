// Small builders shared by the records' `json` mappings (`X+JSON.swift`).
extension JSONValue {
    /// An optional string as API JSON: the string, or `null`. Absent fields are spelled out as `null` so that
    /// clients can rely on every key of a shape being present.
    static func orNull(_ text: String?) -> JSONValue {
        text.map { .string($0) } ?? .null
    }

    /// A list of names as a JSON array of strings.
    static func strings(_ names: [String]) -> JSONValue {
        .array(names.map { .string($0) })
    }
}
