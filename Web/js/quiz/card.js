// The quiz card over the map: title, the visitor's part and score, the question with
// its countdown and bar, where the visitor stands, the result with the counts, the
// verdict, the scoreboard and the final ranking. It can be folded. It draws what it is
// given; quiz-view.js owns the state.

import { fieldsHighlighted, quizRemaining, secondsShown, watchReason } from "../quiz.js";
import { el, listen } from "../dom.js";
import { FIELD_TEXT, ROLE_BADGE, WATCH_TEXT, infoText, quizTitle, splitText, verdictText } from "./words.js";

/** The split as words and a bar: O's share in green, X's in red, the undecided between. */
function splitBar(crowd) {
  const total = crowd.o + crowd.x + crowd.none;
  const part = (kind, count) => el("span", { class: `quiz-split-${kind}`, style: `flex-grow:${total ? count : 0}` });
  return [
    el("span", { class: "quiz-split-text", text: splitText(crowd) }),
    el("span", { class: "quiz-split-bar", "aria-hidden": "true" }, part("o", crowd.o), part("none", crowd.none), part("x", crowd.x)),
  ];
}

/**
 * @param {object} options
 * @param {HTMLElement} options.banner the card's container
 * @param {() => void} options.onDismiss the visitor closed the final ranking
 * @param {(letter: "O" | "X") => void} options.onGo a player asked to walk to a field
 */
export function createQuizCard({ banner, onDismiss, onGo = () => {} }) {
  let collapsed = false;
  const title = el("p", { class: "quiz-title" });
  const role = el("span", { class: "quiz-role", dataset: { testid: "quiz-role" } });
  const score = el("span", { class: "quiz-score", dataset: { testid: "quiz-score" } });
  const collapse = el("button", { type: "button", class: "quiz-collapse", "aria-expanded": "true", "aria-label": "퀴즈 접기 · Collapse the quiz", text: "▾" });
  const question = el("p", { class: "quiz-question", dataset: { testid: "quiz-question" } });
  const seconds = el("span", { class: "quiz-seconds", "aria-hidden": "true" });
  const bar = el("span", { class: "quiz-bar" }, el("span", { class: "quiz-bar-fill" }));
  const countdown = el("div", { class: "quiz-countdown", dataset: { testid: "quiz-countdown" }, role: "timer", "aria-live": "off" }, seconds, bar);
  const field = el("p", { class: "quiz-field", dataset: { testid: "quiz-field" } });
  const reason = el("p", { class: "quiz-reason", dataset: { testid: "quiz-watch-reason" } });
  const split = el("p", { class: "quiz-split", dataset: { testid: "quiz-split" }, "aria-live": "off" });
  const goButton = (letter) => el("button", {
    type: "button", class: `button quiz-go quiz-go-${letter.toLowerCase()}`, dataset: { testid: `quiz-go-${letter.toLowerCase()}` },
    text: letter === "O" ? "⭕ O로 가기 · Go to O" : "❌ X로 가기 · Go to X", onclick: () => onGo(letter),
  });
  const go = el("div", { class: "quiz-go-row", role: "group", "aria-label": "구역으로 걸어가기 · Walk to a field" }, goButton("O"), goButton("X"));
  const info = el("p", { class: "quiz-info", dataset: { testid: "quiz-info" } });
  const result = el("div", { class: "quiz-result", dataset: { testid: "quiz-result" } });
  const verdict = el("p", { class: "quiz-verdict", dataset: { testid: "quiz-verdict" } });
  const scoreboard = el("div", { class: "quiz-scoreboard", dataset: { testid: "quiz-scoreboard" } });
  const final = el("div", { class: "quiz-final", dataset: { testid: "quiz-final" } });
  const body = el("div", { class: "quiz-body" }, question, countdown, field, go, split, reason, info, result, verdict, scoreboard, final);
  banner.replaceChildren(
    el("div", { class: "quiz-head" }, el("span", { class: "quiz-badge", "aria-hidden": "true", text: "OX" }), title, role, score, collapse),
    body);

  const offCollapse = listen(collapse, "click", () => {
    collapsed = !collapsed;
    collapse.setAttribute("aria-expanded", String(!collapsed));
    collapse.textContent = collapsed ? "▸" : "▾";
    collapse.setAttribute("aria-label", collapsed ? "퀴즈 펼치기 · Expand the quiz" : "퀴즈 접기 · Collapse the quiz");
    body.hidden = collapsed;
  });

  function renderResult(state) {
    const r = state.result;
    result.hidden = !r || state.state !== "judged";
    if (!r) return;
    const total = r.counts.o + r.counts.x + r.counts.none;
    result.dataset.answer = r.answer;
    result.replaceChildren(
      el("p", { class: `quiz-answer answer-${r.answer}`, text: `정답 · Answer: ${r.answer === "O" ? "⭕ O" : "❌ X"}` }),
      r.explanation ? el("p", { class: "quiz-explanation", text: r.explanation }) : null,
      el("p", { class: "quiz-counts", dataset: { testid: "quiz-counts" } },
        `O ${r.counts.o} · X ${r.counts.x} · 없음 · none ${r.counts.none}${total ? ` (${total}명 · players)` : ""}`));
  }

  function renderVerdict(state) {
    const v = state.verdict;
    verdict.hidden = !v || state.state !== "judged";
    if (!v) return;
    verdict.dataset.verdict = v.out ? "out" : v.correct ? "correct" : "wrong";
    verdict.textContent = verdictText(v);
  }

  function renderScoreboard(state, myName) {
    const r = state.result;
    let content = null;
    if (state.mode === "points" && r?.top?.length) {
      content = el("ol", { class: "quiz-top", "aria-label": "순위 · Leaders" },
        ...r.top.map((row) => el("li", { class: row.name === myName ? "me" : "" },
          el("span", { class: "name", text: row.name }), el("span", { class: "points", text: `${row.score}` }))));
    } else if (state.mode === "survival" && Number.isFinite(state.alive)) {
      content = el("p", { text: `🧍 남은 사람 · Still in: ${state.alive}${state.players ? ` / ${state.players}` : ""}` });
    }
    scoreboard.hidden = !content || state.state === "ended";
    scoreboard.replaceChildren(...(content ? [el("h3", { text: "점수판 · Scoreboard" }), content] : []));
  }

  function renderFinal(state, myName) {
    const f = state.final;
    final.hidden = !f;
    if (!f) return;
    final.replaceChildren(
      el("h3", { text: `🏆 최종 순위 · Final ranking${f.players ? ` (${f.players}명 · players)` : ""}` }),
      f.ranking.length
        ? el("ol", { class: "quiz-ranking" }, ...f.ranking.map((row) => el("li", { class: row.name === myName ? "me" : "", value: String(row.rank ?? "") },
          el("span", { class: "rank", text: `${row.rank}` }), el("span", { class: "name", text: row.name }), el("span", { class: "points", text: `${row.score}` }))))
        : el("p", { text: "순위가 없어요 · No ranking." }),
      el("button", { type: "button", class: "button small secondary", dataset: { testid: "quiz-final-close" }, text: "닫기 · Close", onclick: onDismiss }));
  }

  /** Everything that changes with a message. */
  function render(state, { myName, myRole }) {
    banner.hidden = state.state === "none";
    if (banner.hidden) return;
    banner.dataset.state = state.state;
    banner.dataset.role = state.role;
    banner.dataset.mode = state.mode;
    title.textContent = quizTitle(state.title);
    role.textContent = ROLE_BADGE[state.role] ?? "";
    role.hidden = !role.textContent;
    role.dataset.role = state.role;
    score.hidden = state.mode !== "points" || state.score === null;
    score.textContent = `${state.score ?? 0}점 · ${state.score ?? 0} pt`;

    const asking = fieldsHighlighted(state);
    question.hidden = !state.question;
    if (state.question) {
      const q = state.question;
      question.textContent = `Q${q.index + 1}${q.total ? `/${q.total}` : ""}. ${q.text}`;
      question.dataset.index = String(q.index);
    }
    countdown.hidden = !asking;
    field.hidden = !asking || state.role === "watching" || state.role === "out";
    go.hidden = !asking || state.role !== "player";
    split.hidden = !asking;
    const why = watchReason(state, myRole);
    reason.textContent = why && state.state !== "ended" ? WATCH_TEXT[why] : "";
    reason.hidden = !reason.textContent;
    reason.dataset.reason = why ?? "";
    const line = infoText(state);
    info.textContent = line;
    info.hidden = !line;
    renderResult(state);
    renderVerdict(state);
    renderScoreboard(state, myName);
    renderFinal(state, myName);
    body.hidden = collapsed;
  }

  /** Every 100 ms while asking: the countdown and where the visitor stands. Returns the whole seconds shown. */
  function tick(state, { clock, where, crowd }) {
    if (!fieldsHighlighted(state)) return null;
    const left = quizRemaining(state, clock);
    const shown = secondsShown(left);
    seconds.textContent = `${shown}`;
    countdown.dataset.remainingMs = String(Math.round(left));
    countdown.dataset.seconds = String(shown);
    countdown.setAttribute("aria-label", `${shown}초 남음 · ${shown} s left`);
    const duration = state.question?.duration || 0;
    bar.firstElementChild.style.width = duration ? `${Math.max(0, Math.min(100, (left / duration) * 100))}%` : "0%";
    countdown.classList.toggle("urgent", left <= 5000 && state.state === "asking");
    split.hidden = !crowd;
    if (crowd && (split.dataset.o !== String(crowd.o) || split.dataset.x !== String(crowd.x) || split.dataset.none !== String(crowd.none))) {
      split.dataset.o = String(crowd.o);
      split.dataset.x = String(crowd.x);
      split.dataset.none = String(crowd.none);
      split.replaceChildren(...splitBar(crowd));
    }
    if (field.dataset.field !== where) {
      field.dataset.field = where;
      field.textContent = FIELD_TEXT[where];
    }
    return shown;
  }

  return {
    render,
    tick,
    dispose() {
      offCollapse();
      banner.hidden = true;
      banner.replaceChildren();
    },
  };
}
