import Testing
@testable import AtriumServer

@Suite struct StageConfigurationTests {
    let secrets = ["ATRIUM_STAGE_JANUS_SECRET": "0123456789abcdef0123", "ATRIUM_STAGE_JANUS_ADMIN_KEY": "fedcba9876543210fedc"]

    @Test func janusIsOffUntilAURLIsGiven() throws {
        #expect(try ConfigurationLoader.load(file: nil, environment: [:]).stage.isEnabled == false)
        var environment = secrets
        environment["ATRIUM_STAGE_JANUS_URL"] = "ws://127.0.0.1:8188"
        let stage = try ConfigurationLoader.load(file: nil, environment: environment).stage
        #expect(stage.isEnabled && stage.publicURL == "ws://127.0.0.1:8188")
        #expect(stage.janusSecret == "0123456789abcdef0123")
    }

    @Test(arguments: [
        (["ATRIUM_STAGE_JANUS_URL": "ws://127.0.0.1:8188"], "needs stage.janus_secret and stage.janus_admin_key"),
        (["ATRIUM_STAGE_JANUS_URL": "http://127.0.0.1:8188"], "must be a ws:// or wss:// URL"),
        (["ATRIUM_STAGE_JANUS_SECRET": "short"], "16 to 256 characters"),
        (["ATRIUM_STAGE_JANUS_SECRET": "has a \"quote\" in it ......"], "16 to 256 characters"),
    ])
    func refusesAStageThatCannotWork(environment: [String: String], fragment: String) {
        #expect {
            _ = try ConfigurationLoader.load(file: nil, environment: environment)
        } throws: { ($0 as? ConfigurationError)?.message.contains(fragment) ?? false }
    }

    @Test func theSecretsAreNotPrinted() throws {
        var environment = secrets
        environment["ATRIUM_STAGE_JANUS_URL"] = "ws://127.0.0.1:8188"
        let rendered = ConfigurationLoader.render(try ConfigurationLoader.load(file: nil, environment: environment))
        #expect(rendered.contains("janus_url = \"ws://127.0.0.1:8188\""))
        #expect(!rendered.contains("0123456789abcdef0123") && !rendered.contains("fedcba9876543210fedc"))
    }
}
