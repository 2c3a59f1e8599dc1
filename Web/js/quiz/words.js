// What the quiz says, in Korean and English: the mode, the visitor's part, the field
// under the visitor, the verdict, and the lines a screen reader hears. Pure.

export const MODE_TEXT = {
  points: "점수제: 맞힐 때마다 1점 · Points: one point per right answer",
  survival: "서바이벌: 틀리면 탈락 · Survival: a wrong answer is out",
};

export const ROLE_BADGE = {
  player: "참가 중 · Playing",
  watching: "관전 중 · Watching",
  out: "탈락 · Out — 관전 중 · watching",
  unknown: "",
};

export const FIELD_TEXT = {
  O: "⭕ 지금 O 구역에 있어요 · You are on O",
  X: "❌ 지금 X 구역에 있어요 · You are on X",
  none: "어느 구역에도 없어요 — O 또는 X 구역으로 가세요 · You are on neither: walk to O or X",
};

/** Why this visitor watches (quiz.js, watchReason). */
export const WATCH_TEXT = {
  moderator: "진행자는 퀴즈를 진행해요 · Moderators run the quiz",
  guest: "이 방에서는 등록한 참가자만 풀어요. 초대 링크로 들어오면 참가할 수 있어요 · In this room only registered participants play; join with your invitation link to play",
  late: "퀴즈가 열린 뒤에 들어와서 이번에는 관전해요 · You came after the quiz opened, so you watch this one",
  out: "탈락했어요 — 끝까지 함께 봐요 · You are out: watch the rest",
};

/** The card's title: the set's own title when it says it is a quiz, else "OX 퀴즈 · OX quiz — title". */
export function quizTitle(title) {
  if (!title) return "OX 퀴즈 · OX quiz";
  return /OX|퀴즈|quiz/i.test(title) ? title : `OX 퀴즈 · OX quiz — ${title}`;
}

/** The players' split as the server counted it: on O, on X, not on a field yet. */
export function splitText({ o, x, none = 0 }) {
  return `지금 ⭕ ${o}명 · ❌ ${x}명 · 아직 ${none}명 · Players now on O: ${o}, on X: ${x}, undecided: ${none}`;
}

export function verdictText(v) {
  if (v.out) return "틀렸어요 — 탈락했어요. 이제 관전해요 · Wrong — you are out and now watching.";
  if (v.correct) return `맞았어요! · Correct! (${v.chose})`;
  return v.chose === "none"
    ? "시간 안에 구역에 서지 않았어요 · You were on neither field: wrong."
    : `틀렸어요 · Wrong (${v.chose})`;
}

/** What a screen reader hears after `action` took the quiz from `before` to `state`: the question, the result, the verdict — not every second. */
export function spokenText(before, action, state) {
  if (action.type === "quiz_question" && state.question) {
    return `OX 퀴즈 ${state.question.index + 1}번 · Question ${state.question.index + 1}: ${state.question.text}`;
  }
  if (action.type === "quiz_result" && state.result) {
    return `정답은 ${state.result.answer} · The answer is ${state.result.answer}. ${state.result.explanation}`;
  }
  if (action.type === "quiz_verdict" && state.verdict) return verdictText(state.verdict);
  if (action.type === "quiz_final") return "퀴즈가 끝났어요. 최종 순위가 나왔어요 · The quiz is over: final ranking.";
  if (action.type === "quiz" && state.state === "open" && before.state !== "open") {
    return `OX 퀴즈가 열렸어요 · An OX quiz has opened: ${state.title}`;
  }
  if (action.type === "quiz" && state.state === "paused" && before.state !== "paused") return "퀴즈가 잠시 멈췄어요 · The quiz is paused.";
  return "";
}

/** The line of information before the first question, after a skip, or while paused. */
export function infoText(state) {
  if (state.state === "open") {
    return `곧 시작해요. 문제가 나오면 O 또는 X 구역으로 가세요 · Starting soon: when a question appears, walk to the O or X field. ${MODE_TEXT[state.mode] ?? ""}`;
  }
  if (state.state === "paused") return "⏸ 잠시 멈춤 · Paused";
  if (state.skipped !== null && !state.question) return `${state.skipped + 1}번 문제는 건너뛰었어요 · Question ${state.skipped + 1} was skipped.`;
  if (state.state === "judged" && !state.result) return "다음 문제를 기다려요 · Waiting for the next question.";
  return "";
}
