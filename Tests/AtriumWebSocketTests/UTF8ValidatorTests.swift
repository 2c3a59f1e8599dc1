import Testing
@testable import AtriumWebSocket

@Suite struct UTF8ValidatorTests {
    static let valid: [[UInt8]] = [
        [],
        Array("plain ASCII that is longer than eight bytes".utf8),
        Array("κόσμε".utf8),
        Array("결과공유회 🎉 응원합니다".utf8),
        hex("7F"), hex("C2 80"), hex("DF BF"), hex("E0 A0 80"), hex("ED 9F BF"), hex("EE 80 80"),
        hex("EF BF BF"), hex("F0 90 80 80"), hex("F4 8F BF BF"),
    ]

    static let invalid: [[UInt8]] = [
        hex("80"),               // lone continuation
        hex("C0 AF"),            // overlong "/"
        hex("C1 BF"),            // overlong
        hex("E0 80 AF"),         // overlong
        hex("ED A0 80"),         // UTF-16 surrogate
        hex("F0 80 80 AF"),      // overlong
        hex("F4 90 80 80"),      // above U+10FFFF
        hex("F5 80 80 80"),      // invalid lead
        hex("FE"), hex("FF"),
        hex("CE BA E1 BD B9 CF 83 CE BC CE B5 ED A0 80 65 64 69 74 65 64"), // Autobahn 6.3.1
    ]

    static let truncated: [[UInt8]] = [hex("C2"), hex("E0 A0"), hex("F0 90 80"), hex("61 62 F4 8F BF")]

    @Test(arguments: valid)
    func acceptsValidTextSplitAtEveryPosition(bytes: [UInt8]) {
        for split in 0...bytes.count {
            var validator = UTF8Validator()
            let first = validator.consume(Array(bytes[..<split]))
            let second = validator.consume(Array(bytes[split...]))
            #expect(first && second && validator.isAtBoundary, "split at \(split)")
        }
    }

    @Test(arguments: invalid)
    func rejectsInvalidTextSplitAtEveryPosition(bytes: [UInt8]) {
        for split in 0...bytes.count {
            var validator = UTF8Validator()
            let ok = validator.consume(Array(bytes[..<split])) && validator.consume(Array(bytes[split...]))
            #expect(!ok)
        }
    }

    @Test(arguments: truncated)
    func reportsATruncatedCodePointAsNotAtBoundary(bytes: [UInt8]) {
        var validator = UTF8Validator()
        let consumed = validator.consume(bytes)
        #expect(consumed && !validator.isAtBoundary)
        #expect(!UTF8Validator.isValid(bytes))
    }

    @Test func failsAtTheFirstBadByteNotAtTheEnd() {
        var validator = UTF8Validator()
        let first = validator.consume(hex("CE BA"))
        let second = validator.consume(hex("ED A0"))
        #expect(first && !second)
    }

    /// Every code point boundary class agrees with the standard library's decoder.
    @Test func agreesWithTheStandardLibraryOnEveryTwoByteSequence() {
        for first in 0...255 {
            for second in 0...255 {
                let bytes: [UInt8] = [UInt8(first), UInt8(second)]
                let reference = String(validating: bytes, as: UTF8.self) != nil
                #expect(UTF8Validator.isValid(bytes) == reference, "\(bytes)")
            }
        }
    }
}
