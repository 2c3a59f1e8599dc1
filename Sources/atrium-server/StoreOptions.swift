import ArgumentParser
import AtriumServer
import AtriumStore
import Foundation

/// Where a command finds the store: the same resolution as `serve` (defaults, then
/// `--config`, then `ATRIUM_…` variables, then these flags), so `invite`, `export` and
/// `quiz` reach the database the server uses, SQLite in the data folder or PostgreSQL.
struct StoreOptions: ParsableArguments {
    @Option(help: "Data folder of the server: the SQLite database and the server secret. (default: ./atrium-data)")
    var data: String?
    @Option(help: "PostgreSQL instead of the SQLite database, as postgres://user@host:port/database; the password belongs in PGPASSWORD or ~/.pgpass. (default: store.url of the configuration)")
    var store: String?
    @Option(help: "TOML configuration whose server.data and store.* settings apply.")
    var config: String?

    /// The effective configuration, or exit 2 with the reason.
    func configuration() throws -> ServerConfiguration {
        var overrides: [(key: String, value: String)] = []
        if let data { overrides.append(("server.data", data)) }
        if let store { overrides.append(("store.url", store)) }
        do {
            return try ConfigurationLoader.load(file: config, environment: ProcessInfo.processInfo.environment, overrides: overrides)
        } catch {
            printError("atrium-server: \(error.message)")
            throw ExitCode(2)
        }
    }

    /// Opens the store, or exits 2 naming it and the reason.
    func open() throws -> any Storage {
        let opener = try configuration().storeOpener
        do {
            return try opener.open()
        } catch {
            printError("atrium-server: \(error.description)")
            throw ExitCode(2)
        }
    }
}
