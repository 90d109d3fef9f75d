extension JSONValue {
    /// Number of values in this tree (containers and leaves), counting at most to `limit + 1`
    /// so the walk itself stays within the caller's budget.
    func nodeCount(limit: Int) -> Int {
        var count = 0
        var stack: [JSONValue] = [self]
        while let value = stack.popLast() {
            count += 1
            if count > limit { return count }
            switch value {
            case .array(let elements):
                if count + elements.count > limit { return limit + 1 }
                stack.append(contentsOf: elements)
            case .object(let object):
                if count + object.count > limit { return limit + 1 }
                stack.append(contentsOf: object.values)
            default: break
            }
        }
        return count
    }

    /// Length in bytes of `jsonString()` (escapes counted as one byte, so slightly low), or `nil`
    /// as soon as it is known to exceed `limit`. Costs at most about `limit` operations, because every
    /// value visited adds at least one byte.
    func jsonLength(limit: Int) -> Int? {
        var total = 0
        var stack: [JSONValue] = [self]
        while let value = stack.popLast() {
            switch value {
            case .null: total += 4
            case .bool(let b): total += b ? 4 : 5
            case .number(let n): total += JSONValue.format(n).utf8.count
            case .string(let s): total += s.utf8.count + 2
            case .array(let elements):
                total += 2 + max(0, elements.count - 1)
                if total > limit { return nil }
                stack.append(contentsOf: elements)
            case .object(let object):
                total += 2 + max(0, object.count - 1)
                for (key, member) in object {
                    total += key.utf8.count + 3
                    if total > limit { return nil }
                    stack.append(member)
                }
            }
            if total > limit { return nil }
        }
        return total
    }

    /// What building this value costs against the result-size limit, looking only one level deep:
    /// strings by UTF-8 bytes, lists by 16 bytes per element, objects by 32 bytes per member.
    var shallowSize: Int {
        switch self {
        case .string(let s): s.utf8.count
        case .array(let elements): elements.count * 16
        case .object(let object): object.count * 32
        default: 0
        }
    }
}
