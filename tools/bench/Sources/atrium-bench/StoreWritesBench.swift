import ArgumentParser
import AtriumStore
import Dispatch
import Foundation
import Synchronization

/// The store alone, without a server: how many durable writes per second it
/// acknowledges when it is kept busy. `--window` writes are outstanding at all times
/// (closed loop), half notes and half reaction toggles as visitors make them, and each
/// write's time from submit to acknowledgement (after its commit) is recorded. Run by
/// `tools/bench-store-writes` against SQLite and PostgreSQL on the same machine.
struct StoreWritesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "store-writes",
                                                    abstract: "Acknowledged writes per second of the store alone (SQLite or PostgreSQL).")

    @Option(help: "A postgres:// URL; SQLite in --data when absent.") var store: String?
    @Option(help: "The data folder for SQLite.") var data = "/tmp/atrium-store-writes"
    @Option(help: "Writes in total.") var count = 20_000
    @Option(help: "Writes outstanding at once.") var window = 500
    @Option(help: "Share of writes that are reactions (the rest are notes), 0…1.") var reactions = 0.5

    func run() async throws {
        let storage = try StoreOpener(url: store, dataDirectory: data).open()
        let recorder = SharedRecorder()
        let slots = DispatchSemaphore(value: max(1, window))
        let done = DispatchGroup()
        let start = ContinuousClock.now
        let total = count, share = reactions
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                for index in 0..<total {
                    slots.wait()
                    done.enter()
                    let isReaction = Double((index &* 7919) % 1000) / 1000 < share
                    let write: StorageWrite = isReaction
                        ? .reaction(ReactionRecord(room: "bench", exhibit: "wall", person: "p\(index % 997)", kind: "cheer", time: 0),
                                    on: (index / 997).isMultiple(of: 2))
                        : .note(NoteRecord(id: 0, room: "bench", exhibit: "wall", authorID: UInt32(index % 50), authorName: "writer",
                                           person: "p\(index % 50)", text: "bench note \(index)", time: Int64(index)))
                    let sent = ContinuousClock.now
                    storage.write(write) { result in
                        let failure: String? = if case .failure(let error) = result { "\(error)" } else { nil }
                        recorder.state.withLock { $0.record(sent.duration(to: .now), failure: failure, reaction: isReaction) }
                        slots.signal()
                        done.leave()
                    }
                }
                done.wait()
                continuation.resume()
            }
        }
        let wall = start.duration(to: .now)
        print("\(store.map(StoreOpener.redacted) ?? "sqlite") window \(window): " + recorder.state.withLock { $0.summary(wall: wall) })
    }
}
