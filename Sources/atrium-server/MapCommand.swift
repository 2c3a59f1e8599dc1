import ArgumentParser
import AtriumServer

/// `atrium-server map check FILE…`
struct MapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "map", abstract: "Work with maps.",
                                                    subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check maps for problems that would show during an event.")

        @Argument(help: "Map files (.tmj).") var files: [String]

        func run() async throws {
            var failed = false
            for file in files {
                switch MapCatalog.load(file: file) {
                case .success(let map):
                    print("\(file): ok (\(map.width)×\(map.height) tiles, \(map.zones.count) zones, \(map.exhibits.count) exhibits)")
                case .failure(let failure):
                    failed = true
                    print(failure.description)
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
