// The moderator's quiz controls: the question set (`expo-quiz` or another name), the
// mode, and open · next · pause · resume · skip · end, with the quiz's state beside them.

import { el, listen } from "../dom.js";

export const QUIZ_SETS = ["expo-quiz"];

const STATE_WORDS = {
  none: "진행 중인 퀴즈 없음 · No quiz running",
  open: "열림, 첫 문제 전 · Open, before the first question",
  asking: "문제 진행 중 · Asking",
  paused: "멈춤 · Paused",
  judged: "채점됨, 다음 문제 대기 · Judged, waiting for the next",
  ended: "끝남 · Ended",
};
const MODE_LABELS = { points: "점수제 · Points", survival: "서바이벌 · Survival" };

/** The status line for the quiz as this client sees it: its state and "3/10". */
export function quizStatusText(quiz) {
  const where = quiz.index >= 0 && quiz.total ? ` — ${quiz.index + 1}/${quiz.total}` : "";
  return `${STATE_WORDS[quiz.state] ?? quiz.state}${where}`;
}

/**
 * @param {object} options
 * @param {(action: string, fields?: object, subject?: string) => string|null} options.send
 * @param {{show: Function}} options.toaster
 * @param {() => object} options.quizState
 */
export function createQuizControls({ send, toaster, quizState }) {
  const setSelect = el("select", { id: "mod-quiz-set", dataset: { testid: "mod-quiz-set" } },
    ...QUIZ_SETS.map((name) => el("option", { value: name, text: name })),
    el("option", { value: "", text: "다른 세트 · Another set…" }));
  const setOther = el("input", { id: "mod-quiz-set-other", dataset: { testid: "mod-quiz-set-other" }, autocomplete: "off", spellcheck: "false", placeholder: "세트 이름 · set name", "aria-label": "다른 세트 이름 · Another set's name", hidden: true });
  const modeInputs = ["points", "survival"].map((mode) => el("input", { type: "radio", name: "mod-quiz-mode", value: mode, checked: mode === "points", dataset: { testid: `mod-quiz-mode-${mode}` } }));
  const status = el("p", { class: "mod-quiz-status", dataset: { testid: "mod-quiz-status" }, "aria-live": "polite" });

  function act(action) {
    if (action !== "quiz_open") {
      send(action);
      return;
    }
    const set = (setSelect.value || setOther.value).trim();
    if (!set) {
      toaster.show("퀴즈 세트 이름을 넣어 주세요 · Please name a question set.", { kind: "error" });
      setOther.focus();
      return;
    }
    const mode = modeInputs.find((input) => input.checked)?.value ?? "points";
    send("quiz_open", { set, mode }, set);
  }

  const button = (action, text, primary = false) => el("button", {
    type: "button", class: `button small ${primary ? "primary" : "secondary"}`, dataset: { testid: `mod-${action.replace("_", "-")}` }, text,
    onclick: () => act(action),
  });
  const buttons = [
    button("quiz_open", "▶ 열기 · Open", true),
    button("quiz_next", "⏭ 다음 문제 · Next question", true),
    button("quiz_pause", "⏸ 멈춤 · Pause"),
    button("quiz_resume", "⏯ 계속 · Resume"),
    button("quiz_skip", "↷ 건너뛰기 · Skip"),
    button("quiz_end", "⏹ 끝내기 · End"),
  ];

  const offSet = listen(setSelect, "change", () => {
    setOther.hidden = setSelect.value !== "";
    if (!setOther.hidden) setOther.focus();
  });

  function refresh() {
    const text = quizStatusText(quizState());
    if (status.textContent !== text) status.textContent = text;
  }

  const element = el("details", { class: "mod-section", open: true },
    el("summary", { text: "OX 퀴즈 · Quiz" }),
    el("div", { class: "mod-field" }, el("label", { for: "mod-quiz-set", text: "문제 세트 · Question set" }), el("div", { class: "row" }, setSelect, setOther)),
    el("fieldset", { class: "mod-mode" }, el("legend", { text: "방식 · Mode" }),
      ...modeInputs.map((input) => el("label", { class: "mod-radio" }, input, el("span", { text: MODE_LABELS[input.value] })))),
    el("div", { class: "mod-buttons" }, ...buttons),
    status);
  refresh();
  return { element, refresh, dispose: offSet };
}
