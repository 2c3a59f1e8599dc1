import AtriumProtocol
import AtriumWorld

/// Chat: who hears it is the room's decision; the session bounds the rate.
extension SessionMachine {
    static let chatRules: [SessionRule] = [
        .joined(ClientMessages.Chat.self, limit: .chats) { chat, machine, _ in
            [.submit(.chat(machine.client, ChatRequest(scope: AtriumWorld.ChatScope(chat.scope), text: chat.text, to: chat.to,
                                                       ref: chat.ref)))]
        },
    ]
}
