import AtriumWorld

/// The sessions of one room by client. The host adds a session when its join arrives
/// and drops it after a leave or disconnect; the output looks recipients up in it and
/// forgets a session the room refused or evicted. Lives in the output, on the room's queue.
struct SessionTable {
    private var sessions: [ClientID: Session] = [:]

    subscript(client: ClientID) -> Session? {
        get { sessions[client] }
        set { sessions[client] = newValue }
    }

    var all: Dictionary<ClientID, Session>.Values { sessions.values }
}
