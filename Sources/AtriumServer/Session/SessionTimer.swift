/// A deadline a session machine asks its adapter to keep: when it passes, the adapter
/// calls ``SessionMachine/timerFired(_:now:)``.
enum SessionTimer: Sendable, Equatable {
    /// A new connection must say `hello` before ``SessionSettings/helloTimeout``.
    case hello
    /// A joined client's ICE servers (TURN credentials) are due for renewal.
    case iceRefresh
}
