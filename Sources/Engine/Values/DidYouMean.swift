/// Suggests the closest known name for a misspelt one, for "did you mean ...?" diagnostics.
public enum DidYouMean {
    /// The candidate closest to `word` by edit distance, or `nil` when none is close enough.
    ///
    /// A candidate qualifies when its Levenshtein distance (case-insensitive) is at most
    /// `max(2, word.count / 3)`. Ties go to the candidate listed first. When `word` itself is a candidate
    /// there is nothing to suggest.
    public static func suggest(_ word: String, from candidates: [String]) -> String? {
        if candidates.contains(word) { return nil }
        let target = Array(word.lowercased())
        let limit = max(2, target.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = self.distance(target, Array(candidate.lowercased()), limit: limit)
            guard distance <= limit else { continue }
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// Levenshtein distance, giving up early (returning `limit + 1`) once every path exceeds `limit`.
    static func distance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMinimum = min(rowMinimum, current[j])
            }
            // Rows never decrease, so once a whole row exceeds the limit the answer does too.
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
