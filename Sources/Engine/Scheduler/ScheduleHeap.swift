public import Foundation

/// Pending fires of the cron scheduler, soonest first: one entry per schedule, so 10,000 schedules cost a
/// few hundred kilobytes and O(log n) per fire.
///
/// Entries are not removed when a schedule changes; each carries the schedule's generation at push time and
/// the scheduler ignores an entry whose generation is no longer current (lazy deletion). `rebuild` drops
/// the stale ones in O(n).
struct ScheduleHeap: Sendable {
    struct Item: Sendable, Equatable {
        /// When to fire: the nominal slot plus any jitter.
        let due: Date
        /// `ScheduleEntry.id`.
        let id: String
        let generation: UInt64
    }

    private var items: [Item] = []

    var count: Int { self.items.count }
    var earliest: Item? { self.items.first }

    mutating func insert(_ item: Item) {
        self.items.append(item)
        self.siftUp(self.items.count - 1)
    }

    /// Removes and returns the soonest item if it is due at or before `now`.
    mutating func popDue(_ now: Date) -> Item? {
        guard let first = self.items.first, first.due <= now else { return nil }
        let last = self.items.removeLast()
        if !self.items.isEmpty {
            self.items[0] = last
            self.siftDown(0)
        }
        return first
    }

    /// Replaces the content with `items` (heapify in O(n)).
    mutating func rebuild(_ items: [Item]) {
        self.items = items
        var index = self.items.count / 2
        while index > 0 {
            index -= 1
            self.siftDown(index)
        }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard self.items[child].due < self.items[parent].due else { break }
            self.items.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < self.items.count, self.items[left].due < self.items[smallest].due { smallest = left }
            if right < self.items.count, self.items[right].due < self.items[smallest].due { smallest = right }
            if smallest == parent { return }
            self.items.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
