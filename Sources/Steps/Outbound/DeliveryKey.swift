import Engine

/// An id for what one step sends, stable across the step's retries (and a crash-and-rerun), distinct for
/// each run, step and `for_each` item: `webhook-id` and `Message-ID` are built from it so receivers can
/// drop duplicates.
enum DeliveryKey {
    /// `<run id>.<step id>[.<item index>]`, with characters outside `[A-Za-z0-9._-]` replaced by `-`.
    static func make(_ request: StepRequest) -> String {
        var parts = [request.runID, request.step.id]
        if let index = request.scope.roots["index"]?.intValue { parts.append(String(index)) }
        let raw = parts.joined(separator: ".")
        return String(String.UnicodeScalarView(raw.unicodeScalars.map { scalar in
            let allowed = scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_"
                    || scalar == "-")
            return allowed ? scalar : "-"
        }))
    }
}
