import Foundation
import Testing

@testable import Engine

@Suite struct LineDiffTests {
    @Test func aChangedLineIsRemovedThenAddedWithContext() {
        let old = (1...10).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n")
        let diff = LineDiff(old: old, new: new)
        #expect(diff.added == 1 && diff.removed == 1)
        #expect(
            diff.unified(oldName: "a", newName: "b")
                == """
                --- a
                +++ b
                @@ -2,7 +2,7 @@
                 line 2
                 line 3
                 line 4
                -line 5
                +line five
                 line 6
                 line 7
                 line 8

                """)
    }

    @Test func distantChangesMakeTwoHunksAndNearOnesOne() {
        let old = (1...20).map { "\($0)" }
        var new = old
        new[1] = "two"
        new[17] = "eighteen"
        let far = LineDiff(old: old.joined(separator: "\n"), new: new.joined(separator: "\n"))
        #expect(far.hunks(context: 3).map(\.header) == ["@@ -1,5 +1,5 @@", "@@ -15,6 +15,6 @@"])
        new[17] = "18"
        new[6] = "seven"
        let near = LineDiff(old: old.joined(separator: "\n"), new: new.joined(separator: "\n"))
        #expect(near.hunks(context: 3).map(\.header) == ["@@ -1,10 +1,10 @@"])
    }

    @Test func insertionsDeletionsAndEqualTexts() {
        let diff = LineDiff(old: "a\nb\nc\n", new: "a\nx\nb\nc\nd\n")
        #expect(diff.lines.map(\.kind) == [.same, .added, .same, .same, .added])
        #expect(diff.lines.map(\.newNumber) == [1, 2, 3, 4, 5])
        #expect(diff.lines.map(\.oldNumber) == [1, nil, 2, 3, nil])
        #expect(LineDiff(old: "a\nb", new: "a\nb\n").isEmpty, "a missing final newline is not a change")
        #expect(LineDiff(old: "same\n", new: "same\n").hunks().isEmpty)
        let removedAll = LineDiff(old: "a\nb\n", new: "")
        #expect(removedAll.lines.map(\.kind) == [.removed, .removed])
        #expect(removedAll.hunks().map(\.header) == ["@@ -1,2 +0,0 @@"])
    }

    @Test func theLongestCommonSubsequenceIsKept() {
        let diff = LineDiff(old: "a\nb\nc\nd\ne\n", new: "b\nc\nx\ne\na\n")
        #expect(diff.lines.filter { $0.kind == .same }.map(\.text) == ["b", "c", "e"])
        #expect(diff.removed == 2 && diff.added == 2)
    }
}
