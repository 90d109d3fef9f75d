public import Foundation

/// Loads secrets from a `NAME=value` file (refused when group- or world-readable) and from files in
/// `$CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`).
public enum SecretStore {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public static func load(file: String?, credentialsDirectory: String?) throws(Failure) -> [String: String] {
        var secrets: [String: String] = [:]
        if let directory = credentialsDirectory,
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory)
        {
            for name in names.sorted() where !name.hasPrefix(".") {
                guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
                var value = String(decoding: data, as: UTF8.self)
                while value.hasSuffix("\n") || value.hasSuffix("\r") { value.removeLast() }
                secrets[name] = value
            }
        }
        guard let file else { return secrets }
        var info = stat()
        guard stat(file, &info) == 0 else {
            throw Failure(description: "cannot read secrets file \(file): \(String(cString: strerror(errno)))")
        }
        if info.st_mode & 0o077 != 0 {
            throw Failure(
                description: "secrets file \(file) is readable by group or others (mode \(String(info.st_mode & 0o777, radix: 8))); run: chmod 600 \(file)")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw Failure(description: "cannot read secrets file \(file)")
        }
        for (number, rawLine) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw Failure(description: "\(file):\(number + 1): expected NAME=value")
            }
            let name = line[..<eq].trimmingCharacters(in: .whitespaces)
            var value = String(line[line.index(after: eq)...])
            if value.count >= 2, (value.hasPrefix("\"") && value.hasSuffix("\"")) || (value.hasPrefix("'") && value.hasSuffix("'")) {
                value = String(value.dropFirst().dropLast())
            }
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw Failure(description: "\(file):\(number + 1): secret name '\(name)' may only use letters, digits and '_'")
            }
            secrets[name] = value
        }
        return secrets
    }
}
