/// The bus between nodes, as Atrium needs it and no more, so that PostgreSQL
/// LISTEN/NOTIFY can be replaced by NATS JetStream or Redis streams without touching
/// anything else:
///
/// - ``publish(_:origin:completion:)`` makes the event durable and tells every listener
///   in one step (PostgreSQL: the row and the NOTIFY in one transaction), and gives
///   events rising ids in the order they became visible;
/// - ``read(after:limit:completion:)`` returns the durable events after an id, which is
///   how a node catches up after a dropped connection or a restart;
/// - notifications carry the whole envelope when it fits, else only the id.
///
/// The ``BusFollower`` decides when to read; a bus only moves bytes.
public protocol ClusterBus: Sendable {
    func publish(_ event: ClusterEvent, origin: String, completion: @escaping @Sendable (Result<Int64, DirectoryError>) -> Void)
    func read(after id: Int64, limit: Int, completion: @escaping @Sendable (Result<[BusEnvelope], DirectoryError>) -> Void)
    /// Where `node` got to, saved by ``saveCursor(node:cursor:)``; nil for a node never seen.
    func cursor(node: String, completion: @escaping @Sendable (Result<Int64?, DirectoryError>) -> Void)
    func saveCursor(node: String, cursor: Int64)
    /// The newest id, where a node that was never seen starts.
    func latestID(completion: @escaping @Sendable (Result<Int64, DirectoryError>) -> Void)
    /// Starts delivering: `connected` whenever the bus is (again) listening, which is when
    /// a follower reads what it missed; `notified` for every event published anywhere
    /// (this node's own included), with the envelope when the notification carried it.
    func subscribe(connected: @escaping @Sendable () -> Void, notified: @escaping @Sendable (Int64, BusEnvelope?) -> Void)
}
