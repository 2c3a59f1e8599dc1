import AtriumProtocol

/// One filled-in instance of every registered message, with the exact bytes it encodes
/// to. The bytes were taken from the encoder as it was before messages became one
/// declaration each, so these samples also prove the reshape left the wire unchanged.
enum MessageSamples {
    static let room = ServerMessages.Welcome.Room(
        id: "expo-hall", name: "Expo", map: "expo-hall", width: 120, height: 80, tickRate: 20,
        viewRadius: 12, chatRadius: 6, step: 13, diagonalStep: 9, unitsPerTile: 64)
    static let note = ServerMessages.Note(id: 3, author: "Mina", authorID: 7, text: "힘내요", time: 5)
    static let state = ServerMessages.ExhibitState(id: "wall", viewers: 2, reactions: ["cheer": 1, "like": 0])
    static let ranked = [ServerMessages.Ranked(rank: 1, name: "A", score: 3)]

    static let server: [(any ServerMessage, String)] = [
        (ServerMessages.Welcome(you: .init(id: 7, name: "Mina", role: "participant"), room: room, resume: "abc", resumed: false,
                                tick: 99, serverTime: 1_700_000_000_000),
         #"{"type":"welcome","protocol":1,"resume":"abc","resumed":false,"room":{"chatRadius":6,"diagonalStep":9,"height":80,"id":"expo-hall","map":"expo-hall","name":"Expo","step":13,"tickRate":20,"unitsPerTile":64,"viewRadius":12,"width":120},"serverTime":1700000000000,"tick":99,"you":{"id":7,"name":"Mina","role":"participant"}}"#),
        (ServerMessages.ErrorMessage(code: .serverRestarting, message: "back soon", ref: "r1", retryAfter: 5),
         #"{"type":"error","code":"server_restarting","message":"back soon","ref":"r1","retryAfter":5}"#),
        (ServerMessages.Pong(t: 1.5, serverTime: 2, tick: 3), #"{"type":"pong","serverTime":2,"t":1.5,"tick":3}"#),
        (ServerMessages.Chat(id: 5, from: .init(id: 1, name: "A"), scope: .dm, text: "hi/there", time: 1, to: 2, ref: "c1"),
         #"{"type":"chat","from":{"id":1,"name":"A"},"id":5,"ref":"c1","scope":"dm","text":"hi/there","time":1,"to":2}"#),
        (ServerMessages.People(total: 1, people: [.init(id: 1, name: "A", role: "guest", status: "", away: false)]),
         #"{"type":"people","people":[{"away":false,"id":1,"name":"A","role":"guest","status":""}],"total":1}"#),
        (ServerMessages.Exhibit(id: "wall", kind: "board", title: "Wall", description: "Cheer", content: ["/maps/m/a.svg"], state: state,
                                mine: ["cheer"], notes: [note], ref: "x"),
         #"{"type":"exhibit","content":["/maps/m/a.svg"],"description":"Cheer","id":"wall","kind":"board","mine":["cheer"],"notes":[{"author":"Mina","authorID":7,"id":3,"text":"힘내요","time":5}],"ref":"x","state":{"id":"wall","reactions":{"cheer":1,"like":0},"viewers":2},"title":"Wall"}"#),
        (state, #"{"type":"exhibit_state","id":"wall","reactions":{"cheer":1,"like":0},"viewers":2}"#),
        (ServerMessages.ExhibitClosed(id: "wall"), #"{"type":"exhibit_closed","id":"wall"}"#),
        (ServerMessages.Reacted(id: "wall", reaction: "like", on: true, state: state, ref: nil),
         #"{"type":"reacted","id":"wall","on":true,"reaction":"like","state":{"id":"wall","reactions":{"cheer":1,"like":0},"viewers":2}}"#),
        (ServerMessages.NoteMessage(id: "wall", note: note, ref: "n"),
         #"{"type":"note","id":"wall","note":{"author":"Mina","authorID":7,"id":3,"text":"힘내요","time":5},"ref":"n"}"#),
        (ServerMessages.NoteHidden(id: "wall", note: 3, ref: nil), #"{"type":"note_hidden","id":"wall","note":3}"#),
        (ServerMessages.Notes(id: "wall", notes: [], more: true, ref: "p"), #"{"type":"notes","id":"wall","more":true,"notes":[],"ref":"p"}"#),
        (ServerMessages.Announcement(text: "Awards at 3", from: "Host", time: 9),
         #"{"type":"announcement","from":"Host","text":"Awards at 3","time":9}"#),
        (ServerMessages.ModOK(action: "mute", ref: "m"), #"{"type":"mod_ok","action":"mute","ref":"m"}"#),
        (ServerMessages.Roster(people: [.init(id: 1, name: "A", role: "guest", registration: nil, away: true, muted: false, spotlight: true)],
                               locked: false, ref: nil),
         #"{"type":"roster","locked":false,"people":[{"away":true,"id":1,"muted":false,"name":"A","role":"guest","spotlight":true}]}"#),
        (ServerMessages.QuizStatus(state: "open", title: "Q", mode: "points", total: 3, index: -1, players: 4, alive: 4),
         #"{"type":"quiz","alive":4,"index":-1,"mode":"points","players":4,"state":"open","title":"Q","total":3}"#),
        (ServerMessages.QuizQuestion(index: 0, total: 3, question: "O?", duration: 5000, deadline: 10, deadlineTick: 120),
         #"{"type":"quiz_question","deadline":10,"deadlineTick":120,"duration":5000,"index":0,"question":"O?","total":3}"#),
        (ServerMessages.QuizResult(index: 0, answer: "O", explanation: "", counts: .init(o: 1, x: 2, none: 0), alive: 1, top: ranked),
         #"{"type":"quiz_result","alive":1,"answer":"O","counts":{"none":0,"o":1,"x":2},"explanation":"","index":0,"top":[{"name":"A","rank":1,"score":3}]}"#),
        (ServerMessages.QuizVerdict(index: 0, chose: "none", correct: false, out: true, score: 0),
         #"{"type":"quiz_verdict","chose":"none","correct":false,"index":0,"out":true,"score":0}"#),
        (ServerMessages.QuizSkipped(index: 1), #"{"type":"quiz_skipped","index":1}"#),
        (ServerMessages.QuizFinal(mode: "survival", ranking: ranked, players: 4),
         #"{"type":"quiz_final","mode":"survival","players":4,"ranking":[{"name":"A","rank":1,"score":3}]}"#),
    ]

    static let client: [(any ClientMessage, String)] = [
        (ClientMessages.Hello(name: "지호", token: "t", resume: nil, appearance: 3),
         #"{"type":"hello","appearance":3,"name":"지호","token":"t"}"#),
        (ClientMessages.Ping(t: 12.5), #"{"type":"ping","t":12.5}"#),
        (ClientMessages.Leave(), #"{"type":"leave"}"#),
        (ClientMessages.Chat(scope: .area, text: "안녕", to: nil, ref: "x1"), #"{"type":"chat","ref":"x1","scope":"area","text":"안녕"}"#),
        (ClientMessages.Emote(emote: .thumbsUp), #"{"type":"emote","emote":"thumbs_up"}"#),
        (ClientMessages.Status(text: "busy"), #"{"type":"status","text":"busy"}"#),
        (ClientMessages.Who(limit: 5), #"{"type":"who","limit":5}"#),
        (ClientMessages.ExhibitOpen(id: "wall", ref: "o"), #"{"type":"exhibit_open","id":"wall","ref":"o"}"#),
        (ClientMessages.ExhibitClose(), #"{"type":"exhibit_close"}"#),
        (ClientMessages.React(id: "wall", reaction: .empathy, on: false, ref: "r"),
         #"{"type":"react","id":"wall","on":false,"reaction":"empathy","ref":"r"}"#),
        (ClientMessages.NotePost(id: "wall", text: "go", ref: nil), #"{"type":"note_post","id":"wall","text":"go"}"#),
        (ClientMessages.NotesPage(id: "wall", before: 9, limit: 10, ref: "p"), #"{"type":"notes_page","before":9,"id":"wall","limit":10,"ref":"p"}"#),
        (ClientMessages.NoteHide(id: "wall", note: 3, ref: nil), #"{"type":"note_hide","id":"wall","note":3}"#),
        (ClientMessages.Announce(text: "hi", ref: "a"), #"{"type":"announce","ref":"a","text":"hi"}"#),
        (ClientMessages.Spotlight(avatar: 2, on: true, ref: nil), #"{"type":"spotlight","avatar":2,"on":true}"#),
        (ClientMessages.Mute(avatar: 2, on: false, ref: "m"), #"{"type":"mute","avatar":2,"on":false,"ref":"m"}"#),
        (ClientMessages.Kick(avatar: 2, reason: "spam", ref: nil), #"{"type":"kick","avatar":2,"reason":"spam"}"#),
        (ClientMessages.Ban(avatar: 2, reason: nil, ref: "b"), #"{"type":"ban","avatar":2,"ref":"b"}"#),
        (ClientMessages.Teleport(avatar: 2, x: 64, y: -1, ref: nil), #"{"type":"teleport","avatar":2,"x":64,"y":-1}"#),
        (ClientMessages.Lock(on: true, ref: nil), #"{"type":"lock","on":true}"#),
        (ClientMessages.Roster(ref: "l"), #"{"type":"roster","ref":"l"}"#),
        (ClientMessages.QuizOpen(set: nil, title: "T", questions: [.init(question: "O?", answer: "O", timeLimit: 5)], mode: "points", ref: "q"),
         #"{"type":"quiz_open","mode":"points","questions":[{"answer":"O","question":"O?","timeLimit":5}],"ref":"q","title":"T"}"#),
        (ClientMessages.QuizNext(ref: "n"), #"{"type":"quiz_next","ref":"n"}"#),
        (ClientMessages.QuizPause(ref: nil), #"{"type":"quiz_pause"}"#),
        (ClientMessages.QuizResume(ref: nil), #"{"type":"quiz_resume"}"#),
        (ClientMessages.QuizSkip(ref: nil), #"{"type":"quiz_skip"}"#),
        (ClientMessages.QuizEnd(ref: "e"), #"{"type":"quiz_end","ref":"e"}"#),
    ]
}
