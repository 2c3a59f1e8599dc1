import CLibFuzzer
import Glibc

/// Starts libFuzzer's driver. SwiftPM renames an executable's entry point and links
/// `main` to the renamed symbol, so libFuzzer's own `main` is never linked in; each
/// fuzzer's `@main` calls this instead, which is what libFuzzer's `main` does.
public enum LibFuzzer {
    public static func run(_ testOneInput: @escaping @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
    }
}
