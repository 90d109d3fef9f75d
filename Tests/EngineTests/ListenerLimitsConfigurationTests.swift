import Testing

@testable import Engine

/// `ingest.idle_timeout` and `ingest.max_connections` in triggerd.yaml (docs/configuration.md).
@Suite struct ListenerLimitsConfigurationTests {
    @Test func defaultsAreThirtySecondsAndADerivedCap() throws {
        let config = try ConfigurationLoader.load(source: "ingest: { queue: 50 }\n", file: "triggerd.yaml")
        #expect(config.ingestQueue == 50)
        #expect(config.listenerIdleTimeout == 30)
        #expect(config.listenerMaxConnections == nil)
    }

    @Test func readsIdleTimeoutAndMaxConnections() throws {
        let config = try ConfigurationLoader.load(
            source: "ingest: { idle_timeout: 1m30s, max_connections: 256 }\n",
            file: "triggerd.yaml"
        )
        #expect(config.listenerIdleTimeout == 90)
        #expect(config.listenerMaxConnections == 256)
    }

    @Test func refusesAZeroTimeoutAndAZeroCapWithTheirPositions() {
        #expect {
            _ = try ConfigurationLoader.load(source: "ingest: { idle_timeout: 0s }\n", file: "triggerd.yaml")
        } throws: { error in
            "\(error)".contains("triggerd.yaml:1:25: error: 'ingest.idle_timeout' must be more than 0s")
        }
        #expect {
            _ = try ConfigurationLoader.load(source: "ingest: { max_connections: 0 }\n", file: "triggerd.yaml")
        } throws: { error in
            "\(error)".contains("'ingest.max_connections'")
        }
    }
}
