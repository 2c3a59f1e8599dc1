/// Proximity voice and video: what a client has switched on, and WebRTC signalling for
/// its conversation peers. Media itself goes browser to browser, never through the server.
extension ClientMessages {
    /// Microphone, camera and voice activity; a missing field leaves that part as it was.
    /// Others see them as state flags of the avatar's info block.
    public struct Media: ClientMessage {
        public static let type = "media"

        public var mic: Bool?
        public var camera: Bool?
        public var speaking: Bool?

        public init(mic: Bool? = nil, camera: Bool? = nil, speaking: Bool? = nil) {
            self.mic = mic
            self.camera = camera
            self.speaking = speaking
        }
    }

    /// A signal (SDP offer or answer, ICE candidate) for one conversation peer. `data` is
    /// opaque to the server: the browser client puts JSON text in it.
    public struct RTCSignal: ClientMessage {
        public static let type = "rtc_signal"

        /// The peer's avatar id.
        public var to: UInt32
        public var data: String

        public init(to: UInt32, data: String) {
            self.to = to
            self.data = data
        }
    }
}
