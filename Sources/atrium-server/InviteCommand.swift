import ArgumentParser
import AtriumServer
import AtriumStore
import Foundation

/// `atrium-server invite …`: registrations and their personal join links.
struct InviteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite", abstract: "Register participants and make their join links.",
        subcommands: [Import.self, Create.self, Revoke.self, List.self])

    struct Common: ParsableArguments {
        @OptionGroup var store: StoreOptions
        @Option(help: "Address the links point to.") var baseURL = "http://127.0.0.1:8080"
        @Option(help: "Room the links open; repeat for several. (default: every room)") var room: [String] = []
        @Option(help: "How long links stay valid, e.g. 14d, 48h.") var expires = "14d"

        /// The store and the secret that signs links (kept in the data folder, whichever store).
        func open() throws -> (any Storage, ServerSecret) {
            let storage = try store.open()
            do {
                return (storage, try ServerSecret.loadOrCreate(dataDirectory: try store.configuration().dataDirectory))
            } catch let error as ExitCode {
                throw error
            } catch {
                printError("atrium-server: \(error)")
                throw ExitCode(2)
            }
        }

        var validity: Duration {
            get throws {
                guard let seconds = Duration.parse(expires) else { throw ValidationError("--expires takes e.g. 14d, 48h or 30m") }
                return seconds
            }
        }

        func link(for registration: Registration, secret: ServerSecret) throws -> String {
            let token = Invitations.token(for: registration.id, rooms: room.isEmpty ? ["*"] : room, validFor: try validity,
                                          secret: secret)
            return Invitations.link(baseURL: baseURL, room: room.first, token: token)
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register everyone in a CSV file (name, email, role) and print or write their links.")

        @Argument(help: "UTF-8 CSV with a header row naming the columns.") var file: String
        @OptionGroup var common: Common
        @Option(help: "Write name,email,role,link rows here instead of printing them.") var out: String?

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file), data.count <= 16 << 20,
                  let text = String(data: data, encoding: .utf8) else {
                printError("atrium-server: cannot read \(file) as UTF-8 text of at most 16 MiB")
                throw ExitCode(2)
            }
            let (storage, secret) = try common.open()
            let known = Set(try storage.registrations().compactMap(\.email))
            let (rows, problems) = Invitations.parseCSV(text, known: known)
            for problem in problems { printError("\(file): \(problem) — skipped") }
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let registrations = rows.map {
                Registration(id: Invitations.newRegistrationID(), name: $0.name, email: $0.email, role: $0.role, createdAt: now)
            }
            // One transaction: all rows of the file are stored, or none.
            if case .failure(let error) = await storage.write(.register(registrations)) {
                printError("atrium-server: nothing was imported: \(error.description)")
                throw ExitCode(1)
            }
            var lines = [CSV.document(header: ["name", "email", "role", "link"], rows: try registrations.map {
                [$0.name, $0.email ?? "", $0.role, try common.link(for: $0, secret: secret)]
            })]
            if let out {
                try Data(lines.joined().utf8).write(to: URL(fileURLWithPath: out))
                lines = []
                print("wrote \(registrations.count) join links to \(out)")
            } else {
                print(lines.joined(), terminator: "")
            }
            printError("imported \(registrations.count) registrations, skipped \(problems.count) rows")
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register one person and print their link.")

        @Option(help: "Display name.") var name: String
        @Option(help: "E-mail address.") var email: String?
        @Option(help: "participant, presenter or moderator.") var role = "participant"
        @OptionGroup var common: Common

        func run() async throws {
            guard Invitations.roles.contains(role) else {
                throw ValidationError("--role is one of \(Invitations.roles.joined(separator: ", "))")
            }
            guard case .success(let validName) = NameRules.validate(name) else { throw ValidationError("--name is not a valid name") }
            let (storage, secret) = try common.open()
            let registration = Registration(id: Invitations.newRegistrationID(), name: validName, email: email, role: role,
                                            createdAt: Int64(Date().timeIntervalSince1970 * 1000))
            if case .failure(let error) = await storage.write(.register([registration])) {
                printError("atrium-server: \(error.description)")
                throw ExitCode(1)
            }
            print("\(registration.name) (\(registration.role), registration \(registration.id)): \(try common.link(for: registration, secret: secret))")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a registration by id or e-mail; its links stop working at once, also on a running server.")

        @Argument(help: "Registration id or e-mail address.") var who: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let configuration = try store.configuration()
            let storage = try store.open()
            switch await storage.write(.revoke(idOrEmail: who, time: Int64(Date().timeIntervalSince1970 * 1000))) {
            case .success(.revoked(let count)) where count > 0:
                print("revoked \(count) registration(s) for \(who)")
                // A cluster's nodes end the revoked visitors' sessions when the bus tells them.
                if let url = configuration.storeOpener.url {
                    let revoked = try storage.registrations().filter { ($0.id == who || $0.email == who) && $0.revokedAt != nil }
                    do {
                        try await ClusterServices.announceRevocations(revoked.map(\.id), url: url)
                        print("told the cluster's nodes through the bus")
                    } catch {
                        printError("atrium-server: revoked, but the cluster's bus did not take it (\(error)); connected visitors stay until they leave")
                        throw ExitCode(1)
                    }
                }
            case .success:
                printError("atrium-server: no active registration \(who)")
                throw ExitCode(1)
            case .failure(let error):
                printError("atrium-server: \(error.description)")
                throw ExitCode(1)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registrations.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let storage = try store.open()
            for registration in try storage.registrations() {
                let state = registration.revokedAt == nil ? "active" : "revoked"
                print("\(registration.id)\t\(registration.role)\t\(state)\t\(registration.name)\t\(registration.email ?? "")")
            }
        }
    }
}

extension Duration {
    /// "14d", "48h", "30m", "90s".
    static func parse(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        for (suffix, seconds) in units where text.hasSuffix(suffix) {
            guard let value = Int64(text.dropLast()), value > 0, value < 10_000 else { return nil }
            return .seconds(value * seconds)
        }
        return nil
    }
}
