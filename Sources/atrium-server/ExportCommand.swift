import ArgumentParser
import AtriumStore
import Foundation

/// `atrium-server export`: notes, reactions and quiz results for the organizers.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export what visitors left: notes, reactions, quiz results.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, csv
    }

    @OptionGroup var store: StoreOptions
    @Option(help: "json (one document) or csv (one file per table).") var format: Format = .json
    @Option(help: "For json, a file (default: standard output); for csv, a folder (default: ./atrium-export).")
    var out: String?
    @Option(help: "Only this room.") var room: String?

    func run() async throws {
        let export = try store.open().export(room: room)
        switch format {
        case .json:
            let data = try export.json()
            if let out {
                try data.write(to: URL(fileURLWithPath: out))
                print("wrote \(export.notes.count) notes and \(export.reactions.count) reactions to \(out)")
            } else {
                FileHandle.standardOutput.write(data)
                print("")
            }
        case .csv:
            let folder = out ?? "./atrium-export"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for (name, text) in export.csv().sorted(by: { $0.key < $1.key }) {
                try Data(text.utf8).write(to: URL(fileURLWithPath: folder).appendingPathComponent(name))
            }
            print("wrote \(export.notes.count) notes and \(export.reactions.count) reactions as CSV to \(folder)/")
        }
    }
}
