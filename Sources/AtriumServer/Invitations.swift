import AtriumStore
import AtriumWorld
import Foundation

/// Registrations and the personal join links that carry their tokens.
public enum Invitations {
    public static let roles = ["participant", "presenter", "moderator"]

    /// A new registration id: 12 characters of base32, unguessable enough that the id
    /// alone is no credential (the signed token is).
    public static func newRegistrationID() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<12).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }

    public static func token(for registrationID: String, rooms: [String], validFor: Duration, secret: ServerSecret,
                             now: Date = Date()) -> String {
        JoinToken(registration: registrationID, rooms: rooms,
                  expires: Int64(now.timeIntervalSince1970) + validFor.components.seconds).signed(with: secret)
    }

    /// The link a participant opens: the web client with room and token in the query.
    public static func link(baseURL: String, room: String?, token: String) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        let roomPart = room.map { "room=\($0.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? $0)&" } ?? ""
        return "\(base)/?\(roomPart)token=\(token)"
    }

    public struct Row: Equatable, Sendable {
        public var line: Int
        public var name: String
        public var email: String?
        public var role: String
    }

    public struct Problem: Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Reads `name,email,role` rows (UTF-8, RFC 4180 quoting, a header row in any column
    /// order). Each bad row is reported with its line number and left out; the rest
    /// stand. `known` holds e-mail addresses already registered.
    public static func parseCSV(_ text: String, known: Set<String> = []) -> (rows: [Row], problems: [Problem]) {
        let records = CSVReader.records(text)
        guard let header = records.first else { return ([], [Problem(line: 1, message: "the file is empty")]) }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let nameColumn = columns.firstIndex(of: "name") else {
            return ([], [Problem(line: header.line, message: "the header row needs a \"name\" column (and optionally email, role)")])
        }
        let emailColumn = columns.firstIndex(of: "email")
        let roleColumn = columns.firstIndex(of: "role")
        var rows: [Row] = []
        var problems: [Problem] = []
        var seen = Set(known.map { $0.lowercased() })
        for record in records.dropFirst() {
            if let error = record.error {
                problems.append(Problem(line: record.line, message: error))
                continue
            }
            if record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard record.fields.count == columns.count else {
                problems.append(Problem(line: record.line, message: "expected \(columns.count) fields, found \(record.fields.count)"))
                continue
            }
            let name: String
            switch NameRules.validate(record.fields[nameColumn]) {
            case .success(let valid): name = valid
            case .failure(let violation):
                problems.append(Problem(line: record.line, message: "name: \(violation.message)"))
                continue
            }
            var email: String?
            if let emailColumn {
                let value = record.fields[emailColumn].trimmingCharacters(in: .whitespaces)
                if !value.isEmpty {
                    let parts = value.split(separator: "@")
                    guard parts.count == 2, parts[1].contains("."), value.count <= 254, !value.contains(" ") else {
                        problems.append(Problem(line: record.line, message: "\"\(value)\" is not an e-mail address"))
                        continue
                    }
                    guard seen.insert(value.lowercased()).inserted else {
                        problems.append(Problem(line: record.line, message: "\(value) is registered already"))
                        continue
                    }
                    email = value
                }
            }
            var role = "participant"
            if let roleColumn {
                let value = record.fields[roleColumn].trimmingCharacters(in: .whitespaces).lowercased()
                if !value.isEmpty {
                    guard roles.contains(value) else {
                        problems.append(Problem(line: record.line, message: "role \"\(value)\" is not one of \(roles.joined(separator: ", "))"))
                        continue
                    }
                    role = value
                }
            }
            rows.append(Row(line: record.line, name: name, email: email, role: role))
        }
        return (rows, problems)
    }
}

/// RFC 4180 records with the line each starts on, so problems can name it.
enum CSVReader {
    struct Record {
        var line: Int
        var fields: [String]
        var error: String?
    }

    static func records(_ text: String) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var error: String?
        var characters = Array(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        characters.append("\n")
        var index = 0
        func finishRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && error == nil) || quoted {
                records.append(Record(line: recordLine, fields: fields, error: error))
            }
            fields = []
            field = ""
            error = nil
            afterQuote = false
        }
        while index < characters.count {
            let character = characters[index]
            if quoted {
                if character == "\"" {
                    if index + 1 < characters.count && characters[index + 1] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
            } else {
                switch character {
                case ",":
                    fields.append(field)
                    field = ""
                    afterQuote = false
                case "\"":
                    if field.isEmpty && !afterQuote { quoted = true } else { error = error ?? "a quote inside an unquoted field" }
                case "\n", "\r\n", "\r":
                    finishRecord()
                    line += 1
                    recordLine = line
                default:
                    if afterQuote { error = error ?? "text after a closing quote" }
                    field.append(character)
                }
            }
            index += 1
        }
        if quoted { records.append(Record(line: recordLine, fields: fields + [field], error: "a quoted field never ends")) }
        return records
    }
}
