/// The protocol spoken over a ``Connection``: HTTP first, WebSocket after an upgrade.
/// Every call arrives on the connection's I/O queue, one at a time.
public protocol ConnectionHandler: AnyObject {
    /// Plaintext bytes arrived (already decrypted when TLS is on).
    func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer)
    /// The peer will send nothing more (EOF); the handler decides whether to close.
    func connectionDidReadEOF(_ connection: Connection)
    /// Queued output fell to zero after having been above the low-water mark.
    func connectionDidDrain(_ connection: Connection)
    /// The periodic sweep of the I/O queue, for timeouts.
    func connectionTick(_ connection: Connection, now: ContinuousClock.Instant)
    /// The connection is closed and its socket released; called exactly once.
    func connectionDidClose(_ connection: Connection, error: SocketError?)
}

extension ConnectionHandler {
    public func connectionDidDrain(_ connection: Connection) {}
    public func connectionTick(_ connection: Connection, now: ContinuousClock.Instant) {}
    public func connectionDidReadEOF(_ connection: Connection) { connection.close() }
}
