extension ReloadReport {
    /// `{"loaded", "changed": [names], "removed": [names], "errors": [{"file", "message"}], "secrets_error",
    /// "warnings": [{"file", "message"}]}` as
    /// `POST /v1/reload` answers it.
    public var json: JSONValue {
        .object([
            "loaded": .number(Double(self.loaded)),
            "changed": .strings(self.changed),
            "removed": .strings(self.removed),
            "errors": .array(self.errors.map(\.json)),
            "secrets_error": self.secretsError.map { .string($0) } ?? .null,
            "warnings": .array(self.warnings.map(\.json)),
        ])
    }
}
