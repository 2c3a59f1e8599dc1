import AtriumServer
import Foundation
import Testing

/// The display name rules run from `Protocol/rules.json`, the cases the browser's join
/// form checks too (`Tests/Web/rules.test.mjs`), so the two cannot drift apart.
struct SharedNameRuleTests {
    struct Rules: Decodable, Sendable {
        struct NameCase: Decodable, Sendable {
            var input: String
            var name: String?
            var error: String?
        }

        struct Names: Decodable, Sendable {
            var cases: [NameCase]
        }

        var names: Names
    }

    static let rules: Rules = {
        let path = "/" + String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/") + "/Protocol/rules.json"
        return try! JSONDecoder().decode(Rules.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }()

    private static func code(_ violation: NameRules.Violation) -> String {
        switch violation {
        case .empty: return "empty"
        case .tooLong: return "tooLong"
        case .controlCharacters: return "controlCharacters"
        }
    }

    @Test(arguments: rules.names.cases.indices)
    func nameCase(_ index: Int) {
        let rule = Self.rules.names.cases[index]
        let scalars = rule.input.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " ")
        switch NameRules.validate(rule.input) {
        case .success(let name):
            #expect(rule.error == nil && name == rule.name, "[\(scalars)] was accepted as \"\(name)\"")
        case .failure(let violation):
            #expect(Self.code(violation) == rule.error, "[\(scalars)] was refused: \(Self.code(violation))")
        }
    }
}
