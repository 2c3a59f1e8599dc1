import ArgumentParser
import AtriumServer
import Foundation

/// `atrium-server config check [FILE]`: validates a configuration and prints it whole.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Configuration.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a TOML configuration (with ATRIUM_ environment variables applied) and print the effective settings.")

        @Argument(help: "TOML file; without it, the defaults and the environment.") var file: String?

        func run() async throws {
            do {
                let environment = ProcessInfo.processInfo.environment
                let configuration = try ConfigurationLoader.load(file: file, environment: environment)
                for name in ConfigurationLoader.unknownEnvironmentNames(in: environment) {
                    printError("atrium-server: warning: \(name) names no setting and is ignored")
                }
                print(ConfigurationLoader.render(configuration), terminator: "")
            } catch {
                printError("atrium-server: \(error.message)")
                throw ExitCode(1)
            }
        }
    }
}
