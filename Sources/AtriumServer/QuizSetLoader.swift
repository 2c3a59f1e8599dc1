import AtriumProtocol
import AtriumWorld
import Foundation

/// Reads and checks a question set: from `Maps/<map>/quiz/<name>.json` or inline in
/// `quiz_open`. Every limit is checked here so the room only ever sees a valid set.
enum QuizSetLoader {
    static let maxBytes = 256 * 1024
    static let maxQuestions = 100
    static let timeLimits = 5...120

    struct Problem: Error {
        var code: ErrorCode
        var message: String
    }

    static func load(_ request: ClientMessages.QuizOpen, mapsDirectory: String, mapID: String) -> Result<QuizSet, Problem> {
        let file: ClientMessages.QuizSetFile
        let id: String
        if let name = request.set {
            guard name.count <= 64, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                return .failure(Problem(code: .badMessage, message: "a set name has letters, digits, - and _ only"))
            }
            let path = "\(mapsDirectory)/\(mapID)/quiz/\(name).json"
            guard let data = FileManager.default.contents(atPath: path) else {
                return .failure(Problem(code: .notFound, message: "no question set \"\(name)\" for this map"))
            }
            guard data.count <= maxBytes else { return .failure(Problem(code: .messageTooLarge, message: "the set is over 256 KiB")) }
            do {
                file = try JSONDecoder().decode(ClientMessages.QuizSetFile.self, from: data)
            } catch {
                return .failure(Problem(code: .badMessage, message: "the question set \"\(name)\" is not valid JSON of the documented shape"))
            }
            id = name
        } else if let questions = request.questions {
            file = ClientMessages.QuizSetFile(title: request.title, questions: questions)
            id = "inline-\(Int(Date().timeIntervalSince1970))"
        } else {
            return .failure(Problem(code: .badMessage, message: "quiz_open needs a set name or questions"))
        }
        return validate(file, id: id)
    }

    static func validate(_ file: ClientMessages.QuizSetFile, id: String) -> Result<QuizSet, Problem> {
        guard !file.questions.isEmpty, file.questions.count <= maxQuestions else {
            return .failure(Problem(code: .badMessage, message: "a set has 1 to \(maxQuestions) questions"))
        }
        var questions: [QuizSet.Question] = []
        for (index, question) in file.questions.enumerated() {
            let number = index + 1
            guard case .success(let text) = TextRules.clean(question.question, maxCharacters: 300) else {
                return .failure(Problem(code: .badMessage, message: "question \(number) needs 1 to 300 characters of text"))
            }
            let answer: WorldMap.QuizSide
            switch question.answer.uppercased() {
            case "O": answer = .o
            case "X": answer = .x
            default: return .failure(Problem(code: .badMessage, message: "question \(number): the answer is O or X"))
            }
            guard timeLimits.contains(question.timeLimit) else {
                return .failure(Problem(code: .badMessage, message: "question \(number): timeLimit is 5 to 120 seconds"))
            }
            var explanation = ""
            if let raw = question.explanation, !raw.allSatisfy(\.isWhitespace) {
                guard case .success(let cleaned) = TextRules.clean(raw, maxCharacters: 500) else {
                    return .failure(Problem(code: .badMessage, message: "question \(number): the explanation is at most 500 characters"))
                }
                explanation = cleaned
            }
            questions.append(QuizSet.Question(id: question.id ?? "q\(number)", text: text, answer: answer,
                                              explanation: explanation, timeLimit: question.timeLimit))
        }
        let title = file.title.flatMap { try? TextRules.clean($0, maxCharacters: 120).get() } ?? "OX quiz"
        return .success(QuizSet(id: id, title: title, questions: questions))
    }
}
