/// The working storage of ``PathFinder``, kept by the room and reused by every search:
/// flat arrays over the map's tiles instead of dictionaries made per search. A search
/// touches only the tiles it reaches; a tile's cost and parent count only when its stamp
/// is the current search's, so starting a search clears nothing. In the quiz rush two
/// thousand walkers ask for a path in the same tick, which is where this pays.
struct PathScratch {
    /// The search in which each tile's `cost` and `cameFrom` were written.
    var stamp: [UInt32]
    var cost: [Int32]
    var cameFrom: [Int32]
    var search: UInt32 = 0
    /// Nodes the last search expanded: what it cost.
    var expanded = 0
    var open = MinHeap()
    var tiles: [Int] = []

    init(tileCount: Int) {
        stamp = [UInt32](repeating: 0, count: tileCount)
        cost = [Int32](repeating: 0, count: tileCount)
        cameFrom = [Int32](repeating: 0, count: tileCount)
    }

    /// Starts a search: every tile is unreached again.
    mutating func begin() {
        search &+= 1
        if search == 0 {
            for index in stamp.indices { stamp[index] = 0 }
            search = 1
        }
        open.removeAll()
        tiles.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    func reached(_ tile: Int) -> Bool { stamp[tile] == search }

    @inline(__always)
    mutating func reach(_ tile: Int, cost: Int, from parent: Int) {
        stamp[tile] = search
        self.cost[tile] = Int32(truncatingIfNeeded: cost)
        cameFrom[tile] = Int32(truncatingIfNeeded: parent)
    }
}
