import ArgumentParser

@main
struct AtriumCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atrium-server",
        abstract: "A real-time multi-user virtual space server.",
        subcommands: [Serve.self, MapCommand.self, InviteCommand.self, ExportCommand.self, QuizCommandLine.self,
                      ConfigCommand.self, StatusCommand.self, ClusterCommand.self],
        defaultSubcommand: Serve.self)
}
