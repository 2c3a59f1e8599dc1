import ArgumentParser
import AtriumStore
import Foundation

/// `atrium-server quiz export`: every answer and every final ranking.
struct QuizCommandLine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "quiz", abstract: "OX quiz results.", subcommands: [Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export quiz answers and rankings as CSV or JSON.")

        @OptionGroup var store: StoreOptions
        @Option(help: "json or csv.") var format: ExportCommand.Format = .csv
        @Option(help: "For json a file (default: standard output); for csv a folder (default: ./atrium-export).") var out: String?

        func run() async throws {
            let export = try store.open().export(room: nil)
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                struct Quiz: Encodable {
                    var answers: [QuizAnswerRecord]
                    var rankings: [QuizRankingRecord]
                }
                let data = try encoder.encode(Quiz(answers: export.quizAnswers, rankings: export.quizRankings))
                if let out { try data.write(to: URL(fileURLWithPath: out)) } else { FileHandle.standardOutput.write(data + Data("\n".utf8)) }
            case .csv:
                let folder = out ?? "./atrium-export"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for (name, text) in export.quizCSV() {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: folder).appendingPathComponent(name))
                }
                print("wrote \(export.quizAnswers.count) answers and \(export.quizRankings.count) ranking rows to \(folder)/")
            }
        }
    }
}
