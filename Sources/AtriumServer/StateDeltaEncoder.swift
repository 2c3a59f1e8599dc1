import AtriumProtocol
import AtriumWorld

/// Encodes a room's per-client delta as the binary state message of the wire protocol,
/// straight from the room's buffers into a reused writer.
public enum StateDeltaEncoder {
    public static func encode(_ delta: StateDelta, into writer: inout BinaryWriter) {
        writer.removeAll()
        StateMessage.writeHeader(&writer, snapshot: delta.snapshot, tick: delta.tick, ack: delta.ack)
        writer.varint(UInt32(delta.entered.count))
        for (entry, info) in delta.entered {
            StateMessage.writeEnter(&writer, id: entry.id, motion: motion(entry), info: Self.info(info))
        }
        writer.varint(UInt32(delta.moved.count))
        for entry in delta.moved {
            StateMessage.writeMove(&writer, id: entry.id, motion: motion(entry))
        }
        writer.varint(UInt32(delta.updated.count))
        for (id, info) in delta.updated {
            StateMessage.writeUpdate(&writer, id: id, info: Self.info(info))
        }
        writer.varint(UInt32(delta.left.count))
        for id in delta.left { writer.varint(id) }
    }

    static func motion(_ entry: StateDelta.Entry) -> StateMessage.Motion {
        StateMessage.Motion(x: UInt16(clamping: entry.position.x), y: UInt16(clamping: entry.position.y),
                            vx: Int8(clamping: entry.velocity.dx), vy: Int8(clamping: entry.velocity.dy))
    }

    static func info(_ info: StateDelta.Info) -> StateMessage.Info {
        var flags: UInt8 = 0
        if info.spotlight { flags |= StateMessage.Info.spotlightFlag }
        if info.away { flags |= StateMessage.Info.awayFlag }
        if info.mic { flags |= StateMessage.Info.micFlag }
        if info.camera { flags |= StateMessage.Info.cameraFlag }
        if info.speaking { flags |= StateMessage.Info.speakingFlag }
        if info.muted { flags |= StateMessage.Info.mutedFlag }
        return StateMessage.Info(role: info.role.wireCode, flags: flags, appearance: info.appearance, emote: info.emote,
                                 name: info.name, status: info.status)
    }
}
