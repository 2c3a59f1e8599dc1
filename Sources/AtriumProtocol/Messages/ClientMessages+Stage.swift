/// The stage: raised hands, publishing and watching through the stage's media server
/// (Janus), and the moderators' controls. Who may publish is the room's decision, on the tick.
extension ClientMessages {
    /// Raises (`up`) or lowers one's own hand in the queue for questions.
    public struct StageHand: ClientRequest {
        public static let type = "stage_hand"

        public var up: Bool
        public var ref: String?
        public init(up: Bool, ref: String? = nil) {
            self.up = up
            self.ref = ref
        }
    }

    /// Asks for a publisher's grant: answered `stage_grant` with a `feed`, or an error
    /// (`stage_refused` with the reason, `stage_unavailable` without Janus).
    public struct StagePublish: ClientRequest {
        public static let type = "stage_publish"

        public var ref: String?
        public init(ref: String? = nil) { self.ref = ref }
    }

    /// Asks for a viewer's grant (anyone in the room): answered `stage_grant` without a
    /// `feed`, or `stage_unavailable`.
    public struct StageWatch: ClientRequest {
        public static let type = "stage_watch"

        public var ref: String?
        public init(ref: String? = nil) { self.ref = ref }
    }

    /// A moderator starts (`on`) or stops one avatar's broadcast. Starting lifts an earlier
    /// stop and spotlights an avatar without stage voice; it still publishes only from a
    /// stage tile with its microphone or camera on.
    public struct StageAir: ClientRequest {
        public static let type = "stage_air"

        public var avatar: UInt32
        public var on: Bool
        public var ref: String?
        public init(avatar: UInt32, on: Bool, ref: String? = nil) {
            self.avatar = avatar
            self.on = on
            self.ref = ref
        }
    }

    /// A moderator takes one avatar's hand out of the queue without answering it.
    public struct StageDismiss: ClientRequest {
        public static let type = "stage_dismiss"

        public var avatar: UInt32
        public var ref: String?
        public init(avatar: UInt32, ref: String? = nil) {
            self.avatar = avatar
            self.ref = ref
        }
    }
}
