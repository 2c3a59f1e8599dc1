import AtriumServer
import AtriumStore
import Testing

/// Choosing the store: SQLite in the data folder unless `store.url` names PostgreSQL.
@Suite struct StoreConfigurationTests {
    @Test func defaultsToSQLiteInTheDataFolder() throws {
        let configuration = try ConfigurationLoader.load(file: nil, environment: [:], overrides: [("server.data", "/srv/atrium")])
        #expect(configuration.storeURL == nil)
        #expect(configuration.storeOpener.postgresConfiguration == nil)
        #expect(configuration.storeOpener.place == "/srv/atrium/atrium.sqlite")
    }

    @Test func takesAPostgresURLFromTheEnvironmentAndShowsItMasked() throws {
        let url = "postgres://atrium:hunter2@db.example.org/atrium"
        let configuration = try ConfigurationLoader.load(file: nil, environment: ["ATRIUM_STORE_URL": url],
                                                         overrides: [("store.postgres_readers", "3"), ("store.postgres_timeout", "30")])
        #expect(configuration.storeURL == url)
        let postgres = try #require(configuration.storeOpener.postgresConfiguration)
        #expect(postgres.readers == 3)
        #expect(postgres.connection.requestTimeout == .seconds(30))
        #expect(postgres.connection.statementTimeout < postgres.connection.requestTimeout)
        let rendered = ConfigurationLoader.render(configuration)
        #expect(rendered.contains(#"url = "postgres://atrium:***@db.example.org/atrium""#))
        #expect(!rendered.contains("hunter2"))
    }

    @Test func refusesAStoreURLThatIsNotPostgres() {
        #expect(throws: ConfigurationError.self) {
            _ = try ConfigurationLoader.load(file: nil, environment: [:], overrides: [("store.url", "mysql://db/atrium")])
        }
    }
}
