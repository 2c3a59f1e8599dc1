/// A portal as placed on the map: a `portal` zone with its properties read.
///
/// Walking onto a tile of a portal from a tile that is not part of it takes the avatar to
/// the portal named by `to`, on the free walkable tile nearest that portal's centre.
/// Arriving on a portal does not take anyone anywhere: only a step onto it does, so a
/// visitor who arrives can step off and back on to return (two portals that name each
/// other are a two-way passage). A portal without `to` is only a destination.
public struct PortalDefinition: Sendable, Equatable {
    /// Unique among the map's portals; what another portal's `to` names.
    public var id: String
    /// The `id` of the portal this one leads to, if it leads anywhere.
    public var destinationID: String?
    public var zone: Zone

    public init(id: String, destinationID: String? = nil, zone: Zone) {
        self.id = id
        self.destinationID = destinationID
        self.zone = zone
    }

    /// Shown to visitors: the object's name, else its id.
    public var name: String { zone.name.isEmpty ? id : zone.name }
}
