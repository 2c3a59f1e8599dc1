import AtriumProtocol
import AtriumWorld

/// Running the OX quiz. The question set is read and checked off the I/O queue (it may
/// be a file), then handed to the room, which decides who may run it.
extension SessionMachine {
    static let quizRules: [SessionRule] = [
        .joined(ClientMessages.QuizOpen.self, limit: .actions) { open, machine, _ in
            guard let mode = QuizMode(rawValue: open.mode) else {
                return [.send(ServerMessages.ErrorMessage(code: .badMessage, message: "mode is survival or points", ref: open.ref))]
            }
            guard !machine.loadingQuizSet else {
                return [.send(ServerMessages.ErrorMessage(code: .conflict, message: "a question set is still loading", ref: open.ref))]
            }
            machine.loadingQuizSet = true
            return [.loadQuizSet(open, mode, ref: open.ref)]
        },
        .joined(ClientMessages.QuizNext.self, limit: .actions) { value, machine, _ in machine.quiz(.next, ref: value.ref) },
        .joined(ClientMessages.QuizPause.self, limit: .actions) { value, machine, _ in machine.quiz(.pause, ref: value.ref) },
        .joined(ClientMessages.QuizResume.self, limit: .actions) { value, machine, _ in machine.quiz(.resume, ref: value.ref) },
        .joined(ClientMessages.QuizSkip.self, limit: .actions) { value, machine, _ in machine.quiz(.skip, ref: value.ref) },
        .joined(ClientMessages.QuizEnd.self, limit: .actions) { value, machine, _ in machine.quiz(.end, ref: value.ref) },
    ]

    /// The loaded set, or why it could not be used; then the inputs held meanwhile.
    mutating func quizSetLoaded(_ result: Result<QuizSet, QuizSetLoader.Problem>, mode: QuizMode, ref: String?) -> [SessionAction] {
        loadingQuizSet = false
        let held = heldInputs.map(SessionAction.submit)
        heldInputs = []
        // Closed meanwhile (a leave may be among the held inputs): nothing to open.
        guard case .joined = phase else { return held }
        switch result {
        case .success(let set):
            return quiz(.open(set, mode), ref: ref) + held
        case .failure(let problem):
            return [.send(ServerMessages.ErrorMessage(code: problem.code, message: problem.message, ref: ref))] + held
        }
    }

    private func quiz(_ command: QuizCommand, ref: String?) -> [SessionAction] {
        [.submit(.quiz(client, command, ref: ref))]
    }
}
