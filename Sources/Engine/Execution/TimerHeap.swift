public import Foundation

/// Wake-ups of parked steps (retry back-off, delays, wait deadlines), soonest first.
///
/// A binary min-heap, so 100,000 parked timers cost a few megabytes and O(log n) per change. Entries are not
/// removed when a wait ends early; the engine ignores a wake-up that no longer matches the step's state.
struct TimerHeap: Sendable {
    struct Entry: Sendable, Equatable {
        let at: Date
        let runID: String
        let stepID: String
    }

    private var items: [Entry] = []

    var count: Int { self.items.count }
    var earliest: Entry? { self.items.first }

    mutating func insert(_ entry: Entry) {
        self.items.append(entry)
        var child = self.items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard self.items[child].at < self.items[parent].at else { break }
            self.items.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns every entry due at or before `now`.
    mutating func popDue(_ now: Date) -> [Entry] {
        var due: [Entry] = []
        while let first = self.items.first, first.at <= now {
            due.append(self.removeFirst())
        }
        return due
    }

    private mutating func removeFirst() -> Entry {
        let first = self.items[0]
        let last = self.items.removeLast()
        if !self.items.isEmpty {
            self.items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < self.items.count, self.items[left].at < self.items[smallest].at { smallest = left }
                if right < self.items.count, self.items[right].at < self.items[smallest].at { smallest = right }
                if smallest == parent { break }
                self.items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}
