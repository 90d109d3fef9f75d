extension FileLoadError {
    /// `{"file", "message"}`.
    public var json: JSONValue {
        .object(["file": .string(self.file), "message": .string(self.message)])
    }
}
