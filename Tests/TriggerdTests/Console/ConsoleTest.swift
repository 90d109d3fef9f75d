import Foundation
import Hummingbird
import HummingbirdTesting

/// Helpers for console route tests: page text, the CSRF token a page carries, and form posts.
enum ConsoleTest {
    /// The CSRF token in the first form of `html`.
    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value="[0-9a-f]+""#, options: .regularExpression) else {
            return nil
        }
        return String(html[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
    }

    /// Headers of a form post from a browser.
    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .accept: html]

    /// What a browser sends when it navigates.
    static let html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

    /// Headers of a browser's GET.
    static let pageHeaders: HTTPFields = [.accept: html]

    /// Whether `html` contains `fragment`.
    static func has(_ html: String, _ fragment: String) -> Bool { html.contains(fragment) }
}
