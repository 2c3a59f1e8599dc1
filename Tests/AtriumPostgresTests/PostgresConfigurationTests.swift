import Testing
@testable import AtriumPostgres

@Suite struct PostgresConfigurationTests {
    @Test(arguments: [
        ("postgres://atrium:s3cret@db.example.org:5432/atrium", "postgres://atrium:***@db.example.org:5432/atrium"),
        ("postgresql://atrium@db/atrium?password=s3cret&sslmode=require", "postgresql://atrium@db/atrium?password=***&sslmode=require"),
        ("postgres://db/atrium", "postgres://db/atrium"),
        ("postgres://u:p:q@h/d", "postgres://u:***@h/d"),
    ])
    func masksPasswordsWhereverTheURLCarriesThem(_ url: String, _ shown: String) {
        #expect(PostgresConfiguration.redact(url) == shown)
    }

    @Test func acceptsOnlyPostgresURLsOfBoundedLength() {
        #expect(PostgresConfiguration(url: "postgres://localhost/atrium").problem == nil)
        #expect(PostgresConfiguration(url: "mysql://localhost/atrium").problem != nil)
        #expect(PostgresConfiguration(url: "postgres://h/" + String(repeating: "a", count: 5000)).problem != nil)
    }

    /// The URL comes last, so its own parameters override the defaults set here.
    @Test func letsTheURLOverrideTheDefaults() {
        let parameters = PostgresConfiguration(url: "postgres://h/d?application_name=mine").connectionParameters
        #expect(parameters.last?.0 == "dbname")
        #expect(parameters.last?.1 == "postgres://h/d?application_name=mine")
    }

    @Test func acceptsOnlyPlainChannelNames() {
        #expect(PostgresNotification.isValidChannel("atrium_events"))
        #expect(!PostgresNotification.isValidChannel("Atrium"))
        #expect(!PostgresNotification.isValidChannel("x; DROP TABLE notes"))
        #expect(!PostgresNotification.isValidChannel(""))
        #expect(!PostgresNotification.isValidChannel(String(repeating: "a", count: 64)))
    }
}
