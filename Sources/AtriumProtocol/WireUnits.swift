/// Fixed facts of the wire format shared by server, clients and bots.
public enum WireUnits {
    /// Positions and velocities travel in 1/64 of a tile: u16 covers maps of up to
    /// 1023 tiles a side, and a walking step per tick is a whole number of units.
    public static let perTile: Int = 64
    /// The protocol version carried in `welcome` and the WebSocket subprotocol name.
    public static let protocolVersion = 1
    public static let subprotocol = "atrium.v1"
}
