import AtriumServer
import Testing

struct NameRulesTests {
    @Test func normalizesAndTrimsBeforeCounting() throws {
        // "é" as e + combining acute becomes one precomposed character.
        #expect(try NameRules.validate("  Jose\u{301} \n").get() == "Jos\u{E9}")
        #expect(try NameRules.validate(String(repeating: "가", count: 32)).get().count == 32)
    }

    @Test(arguments: [
        ("", NameRules.Violation.empty),
        ("   ", .empty),
        ("\u{200B}\u{200D}", .empty),                       // only invisible format characters
        ("Eve\u{0007}", .controlCharacters),
        ("abc\u{202E}gpj.exe", .controlCharacters),        // a right-to-left override
        (String(repeating: "a", count: 33), .tooLong),
        // 32 characters, but each family emoji is 25 bytes: too long for the wire's name field.
        (String(repeating: "👨‍👩‍👧‍👦", count: 4), .tooLong),
    ])
    func refusesWithTheRuleBroken(name: String, violation: NameRules.Violation) {
        #expect(NameRules.validate(name) == .failure(violation))
    }

    @Test func acceptsNamesUpToTheByteLimit() {
        // 3 family emoji are 75 bytes: within 96.
        #expect((try? NameRules.validate(String(repeating: "👨‍👩‍👧‍👦", count: 3)).get()) != nil)
    }
}
