import ArgumentParser

@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atrium-bench", abstract: "Atrium's benchmarks; tools/bench-* run them and record the figures.",
        subcommands: [TickBench.self, TransportBench.self, StoreBench.self, StoreWritesBench.self, BusBench.self])
}
