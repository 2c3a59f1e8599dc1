import AtriumWorld

/// How a room in a cluster reaches beyond its node: what every instance of the room must
/// see goes over the bus, which brings it back to every instance, this one included.
struct HostRelay: Sendable {
    /// Takes an event that reaches every instance of the room (an announcement); false
    /// when it is not such an event, and the room delivers it itself.
    var broadcast: @Sendable (RoomEvent) -> Bool
    /// Told of a ban as it is stored, so that every node ends the person's sessions.
    var banned: @Sendable (_ registrationID: String?, _ address: String?, _ reason: String?) -> Void
    /// What the room hands to the event's quiz lead (a room with several instances).
    var quiz: @Sendable (EventQuizReport) -> Void = { _ in }
}
