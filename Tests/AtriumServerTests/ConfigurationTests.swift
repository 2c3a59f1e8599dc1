import Foundation
import Testing
@testable import AtriumServer

@Suite struct ConfigurationTests {
    private func file(_ text: String) -> String {
        let path = NSTemporaryDirectory() + "atrium-config-\(UUID().uuidString).toml"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test func defaultsThenFileThenEnvironmentThenFlags() throws {
        let path = file("""
            [server]
            port = 9000
            hosts = ["0.0.0.0"]
            [limits]
            max_connections = 500
            max_strikes = 7
            [rates]
            chat = "2/s:10"
            """)
        let environment = ["ATRIUM_LIMITS_MAX_CONNECTIONS": "600", "ATRIUM_ROOMS_WALK_SPEED": "5", "PATH": "/bin"]
        let configuration = try ConfigurationLoader.load(file: path, environment: environment,
                                                         overrides: [("limits.max_connections", "700")])
        #expect(configuration.port == 9000)                  // file
        #expect(configuration.hosts == ["0.0.0.0"])          // file
        #expect(configuration.maxStrikes == 7)               // file, untouched by the rest
        #expect(configuration.walkSpeed == 5)                // environment
        #expect(configuration.maxConnections == 700)         // flag beats environment beats file
        #expect(configuration.chatRate == RateLimit(perSecond: 2, burst: 10))
        #expect(configuration.maxConnectionsPerIP == ServerConfiguration().maxConnectionsPerIP)   // default
    }

    @Test(arguments: [
        ("[limits]\nmax_conections = 5\n", "unknown setting limits.max_conections"),
        ("[limits]\nmax_connections = -1\n", "limits.max_connections must be a whole number"),
        ("[rates]\nchat = \"fast\"\n", "rates.chat takes RATE/s:BURST"),
        ("port = 80\n", "must be a [section]"),
        ("[server\nport = 1", ".toml:1:"),
        ("[limits]\noutbound_budget_bytes = 100\n", "limits.outbound_budget_bytes"),
    ])
    func refusesABadFileWithAMessageNamingTheSetting(text: String, fragment: String) {
        #expect {
            _ = try ConfigurationLoader.load(file: file(text), environment: [:])
        } throws: { ($0 as? ConfigurationError)?.message.contains(fragment) ?? false }
    }

    @Test func namesUnknownEnvironmentVariablesWithoutRefusingThem() throws {
        let environment = ["ATRIUM_LIMITS_NOPE": "1", "ATRIUM_SERVER": "/bin/x", "ATRIUM_SERVER_PORT": "9000"]
        let configuration = try ConfigurationLoader.load(file: nil, environment: environment)
        #expect(configuration.port == 9000)
        #expect(ConfigurationLoader.unknownEnvironmentNames(in: environment) == ["ATRIUM_LIMITS_NOPE", "ATRIUM_SERVER"])
    }

    @Test func refusesABadEnvironmentValueNamingItsSource() {
        #expect {
            _ = try ConfigurationLoader.load(file: nil, environment: ["ATRIUM_SERVER_PORT": "70000"])
        } throws: { ($0 as? ConfigurationError)?.message.contains("environment variable ATRIUM_SERVER_PORT") ?? false }
    }

    /// What `config check` prints is itself a valid file that gives the same configuration.
    @Test func theRenderedConfigurationRoundTrips() throws {
        var original = ServerConfiguration()
        original.port = 9100
        original.rooms = [("a", "expo-hall"), ("b", "expo-hall")]
        original.noteRate = RateLimit(perSecond: 0.5, burst: 4)
        original.tlsCertificate = "cert.pem"
        original.tlsKey = "key.pem"
        let text = ConfigurationLoader.render(original)
        let again = try ConfigurationLoader.load(file: file(text), environment: [:])
        #expect(ConfigurationLoader.render(again) == text)
        #expect(again.rooms.map(\.id) == ["a", "b"] && again.noteRate == original.noteRate)
        // Every setting is documented with its environment name.
        for setting in ConfigurationLoader.settings {
            #expect(text.contains(setting.environmentName))
        }
    }
}
