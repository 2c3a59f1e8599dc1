/// Joining and keeping a session: the welcome, errors, the answer to `ping`.
extension ServerMessages {
    public struct Welcome: ServerMessage {
        public static let type = "welcome"

        public struct You: Codable, Sendable, Equatable {
            public var id: UInt32
            public var name: String
            public var role: String
            public init(id: UInt32, name: String, role: String) {
                self.id = id
                self.name = name
                self.role = role
            }
        }

        public struct Room: Codable, Sendable, Equatable {
            public var id: String
            public var name: String
            public var map: String
            /// Map size in tiles.
            public var width: Int
            public var height: Int
            public var tickRate: Int
            public var viewRadius: Int
            public var chatRadius: Int
            /// Units an avatar walks per tick along one axis; diagonal steps are `diagonalStep`.
            public var step: Int
            public var diagonalStep: Int
            public var unitsPerTile: Int
            /// Tiles within which avatars become conversation peers (voice and video).
            public var avRadius: Int?
            /// The map's external live stream for the stage panel (its `streamUrl`), shown
            /// when the stage has no video of its own; absent when the map has none.
            public var streamUrl: String?
            public init(id: String, name: String, map: String, width: Int, height: Int, tickRate: Int,
                        viewRadius: Int, chatRadius: Int, step: Int, diagonalStep: Int, unitsPerTile: Int, avRadius: Int? = nil,
                        streamUrl: String? = nil) {
                self.id = id
                self.name = name
                self.map = map
                self.width = width
                self.height = height
                self.tickRate = tickRate
                self.viewRadius = viewRadius
                self.chatRadius = chatRadius
                self.step = step
                self.diagonalStep = diagonalStep
                self.unitsPerTile = unitsPerTile
                self.avRadius = avRadius
                self.streamUrl = streamUrl
            }
        }

        public var `protocol`: Int
        public var you: You
        public var room: Room
        /// Present this token in a later `hello` to get the same avatar back.
        public var resume: String
        public var resumed: Bool
        public var tick: UInt32
        /// Server wall-clock time, milliseconds since the Unix epoch.
        public var serverTime: Int64
        /// The friend (avatar id) whose "come find me" link put this new avatar next to them;
        /// absent when the link was expired, for another room, or the friend had left.
        public var near: UInt32?

        public init(protocol: Int = WireUnits.protocolVersion, you: You, room: Room, resume: String, resumed: Bool,
                    tick: UInt32, serverTime: Int64, near: UInt32? = nil) {
            self.protocol = `protocol`
            self.you = you
            self.room = room
            self.resume = resume
            self.resumed = resumed
            self.tick = tick
            self.serverTime = serverTime
            self.near = near
        }
    }

    public struct ErrorMessage: ServerReply {
        public static let type = "error"

        public var code: ErrorCode
        public var message: String
        /// The `ref` of the request that failed, when it had one.
        public var ref: String?
        /// Seconds to wait after the connection closes before reconnecting, when the server
        /// knows (`server_restarting`): a restart takes a moment, and a room's worth of
        /// clients retrying at once would only meet a closed port.
        public var retryAfter: Int?
        public init(code: ErrorCode, message: String, ref: String? = nil, retryAfter: Int? = nil) {
            self.code = code
            self.message = message
            self.ref = ref
            self.retryAfter = retryAfter
        }
    }

    public struct Pong: ServerMessage {
        public static let type = "pong"

        public var t: Double?
        public var serverTime: Int64
        public var tick: UInt32
        public init(t: Double?, serverTime: Int64, tick: UInt32) {
            self.t = t
            self.serverTime = serverTime
            self.tick = tick
        }
    }

    /// The answer to `find_me`: a signed, short-lived token that brings a friend's new
    /// avatar next to the asker in this room instance (the link is `/?room=<room>&near=<token>`).
    public struct FindMe: ServerReply {
        public static let type = "find_me"

        public var token: String
        /// The room instance's key: the room id, or `room~N` for an overflow instance.
        public var room: String
        /// When the token stops working, server time in milliseconds since the epoch.
        public var expires: Int64
        public var ref: String?
        public init(token: String, room: String, expires: Int64, ref: String? = nil) {
            self.token = token
            self.room = room
            self.expires = expires
            self.ref = ref
        }
    }

    /// The running instances of the visitor's room, when it overflows into several
    /// (``SeatAnswer``): sent after the welcome and whenever the counts change, so a
    /// visitor sees where the others are and can switch (`GET /api/seat?room=R&instance=N`,
    /// then reconnect with the resume token). Counts are a few seconds old.
    public struct Instances: ServerMessage {
        public static let type = "instances"

        /// The room (not the instance key).
        public var room: String
        /// The visitor's own instance.
        public var instance: Int
        /// Avatars one instance holds.
        public var capacity: Int
        public var instances: [SeatAnswer.Instance]

        public init(room: String, instance: Int, capacity: Int, instances: [SeatAnswer.Instance]) {
            self.room = room
            self.instance = instance
            self.capacity = capacity
            self.instances = instances
        }
    }
}
