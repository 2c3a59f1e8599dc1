/// Stops the run when a property the product promises does not hold. libFuzzer treats
/// the trap like a crash: it saves the input as an artifact and exits non-zero.
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                    file: StaticString = #fileID, line: UInt = #line) {
    guard condition() else { fatalError("fuzz finding: \(message())", file: file, line: line) }
}

/// The input as an array; the fuzzers' entry points receive a raw pointer.
public func inputBytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}
