import Foundation
import Testing

@testable import Steps

/// A server's `Retry-After` is untrusted text: a date ending in a combining mark used to trap inside
/// Foundation's date parser (the root cause fuzzing found in `parseDate`, docs/proof.md).
@Suite struct RetryAfterUntrustedTests {
    @Test func aDateWithACombiningMarkIsUnreadableNotACrash() {
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        #expect(RetryAfter.seconds("Thu, 01 Jan 2026 00:00:30 GMT", now: now) == 30)
        // Before the fix this one stopped the process: the parse ends inside the last character.
        #expect(RetryAfter.seconds("Thu, 01 Jan 2026 00:00:30 GMT\u{301}", now: now) == nil)
        #expect(RetryAfter.seconds("Thu\u{301}, 01 Jan 2026 00:00:30 GMT", now: now) == nil)
    }
}
