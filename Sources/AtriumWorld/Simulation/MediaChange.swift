/// A client's report of its own media: microphone and camera switched on or off, and
/// whether its voice is active right now. A nil field leaves that part as it was, so a
/// client that only detects speech sends only `speaking`.
///
/// The room keeps what the client says, within two rules of its own: a moderator's mute
/// overrides the microphone (the avatar stops being a voice in every peer set), and
/// "speaking" is only ever shown for a voice that is on.
public struct MediaChange: Sendable, Equatable {
    public var mic: Bool?
    public var camera: Bool?
    public var speaking: Bool?

    public init(mic: Bool? = nil, camera: Bool? = nil, speaking: Bool? = nil) {
        self.mic = mic
        self.camera = camera
        self.speaking = speaking
    }
}
