import Engine
import Testing

@Suite("Configuration: console")
struct ConsoleConfigurationTests {
    @Test func offByDefault() throws {
        #expect(try ConfigurationLoader.load(source: "timezone: UTC\n", file: "triggerd.yaml").console == nil)
    }

    @Test func readsTokensAndProxySettings() throws {
        let tokens = try ConfigurationLoader.load(source: "console:\n  listen: 127.0.0.1:8781\n", file: "t.yaml")
        #expect(tokens.console?.listen == "127.0.0.1:8781")
        #expect(tokens.console?.auth == .tokens)
        let proxy = try ConfigurationLoader.load(
            source: """
                console:
                  listen: 127.0.0.1:8781
                  auth: proxy
                  proxy: { header: X-Remote-User, from: [127.0.0.1, "::1"], role: viewer }

                """, file: "t.yaml")
        #expect(proxy.console?.auth == .proxy)
        #expect(proxy.console?.proxyHeader == "X-Remote-User")
        #expect(proxy.console?.proxyFrom == ["127.0.0.1", "::1"])
        #expect(proxy.console?.proxyRole == .viewer)
    }

    @Test(arguments: [
        ("console: { listen: nowhere }\n", "t.yaml:1:20: error: 'console.listen' must be HOST:PORT"),
        ("console: { auth: tokens }\n", "'console' needs 'listen'"),
        ("console: { listen: 127.0.0.1:1, auth: ldap }\n", "'console.auth' must be tokens or proxy, not 'ldap'"),
        ("console: { listen: 127.0.0.1:1, auth: proxy, proxy: { from: [proxy.lan] } }\n", "'proxy.lan' is not one"),
        ("console: { listen: 127.0.0.1:1, proxy: { header: X-User } }\n", "only used with 'auth: proxy'"),
        ("console: { listen: 127.0.0.1:1, port: 3 }\n", "port"),
    ])
    func refusesWithAPosition(source: String, message: String) {
        #expect {
            _ = try ConfigurationLoader.load(source: source, file: "t.yaml")
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func reportsEveryMistakeAtOnce() {
        #expect {
            _ = try ConfigurationLoader.load(source: "console: { listen: bad, auth: ldap }\n", file: "t.yaml")
        } throws: { error in
            "\(error)".contains("'console.listen' must be HOST:PORT") && "\(error)".contains("'console.auth' must be")
        }
    }
}
