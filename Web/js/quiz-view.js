// The OX quiz on screen: a banner with the question and its countdown, where the visitor
// stands ("you are on O / X / neither"), the result and the visitor's own verdict, the
// scoreboard and the final ranking; the O and X fields stand out on the map while a
// question is asked, and the right one glows when it is judged. The state lives in quiz.js.

import { fieldAt, fieldsHighlighted, initialQuizState, quizRemaining, reduceQuiz, secondsShown } from "./quiz.js";
import { el, listen } from "./dom.js";

const TICK_MS = 100;
const ANSWER_GLOW_MS = 8000;
const SERVER_TYPES = ["quiz", "quiz_question", "quiz_result", "quiz_verdict", "quiz_skipped", "quiz_final"];

const MODE_TEXT = {
  points: "점수제: 맞힐 때마다 1점 · Points: one point per right answer",
  survival: "서바이벌: 틀리면 탈락 · Survival: a wrong answer is out",
};
const ROLE_BADGE = {
  player: "참가 중 · Playing",
  watching: "관전 중 · Watching",
  out: "탈락 · Out — 관전 중 · watching",
  unknown: "",
};
const FIELD_TEXT = {
  O: "⭕ 지금 O 구역에 있어요 · You are on O",
  X: "❌ 지금 X 구역에 있어요 · You are on X",
  none: "어느 구역에도 없어요 — O 또는 X 구역으로 가세요 · You are on neither: walk to O or X",
};

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session
 * @param {import("./renderer.js").Renderer} options.renderer
 * @param {object} options.elements banner (the quiz card), announcer (polite live region)
 */
export function attachQuiz({ session, renderer, elements }) {
  const { banner, announcer } = elements;
  let state = initialQuizState();
  let judgedAt = 0;
  let spoken = new Set();
  let collapsed = false;

  // ---- The card's parts, built once ----
  const title = el("p", { class: "quiz-title" });
  const role = el("span", { class: "quiz-role", dataset: { testid: "quiz-role" } });
  const score = el("span", { class: "quiz-score", dataset: { testid: "quiz-score" } });
  const collapse = el("button", { type: "button", class: "quiz-collapse", "aria-expanded": "true", "aria-label": "퀴즈 접기 · Collapse the quiz", text: "▾" });
  const question = el("p", { class: "quiz-question", dataset: { testid: "quiz-question" } });
  const seconds = el("span", { class: "quiz-seconds", "aria-hidden": "true" });
  const bar = el("span", { class: "quiz-bar" }, el("span", { class: "quiz-bar-fill" }));
  const countdown = el("div", { class: "quiz-countdown", dataset: { testid: "quiz-countdown" }, role: "timer", "aria-live": "off" }, seconds, bar);
  const field = el("p", { class: "quiz-field", dataset: { testid: "quiz-field" } });
  const info = el("p", { class: "quiz-info", dataset: { testid: "quiz-info" } });
  const result = el("div", { class: "quiz-result", dataset: { testid: "quiz-result" } });
  const verdict = el("p", { class: "quiz-verdict", dataset: { testid: "quiz-verdict" } });
  const scoreboard = el("div", { class: "quiz-scoreboard", dataset: { testid: "quiz-scoreboard" } });
  const final = el("div", { class: "quiz-final", dataset: { testid: "quiz-final" } });
  const body = el("div", { class: "quiz-body" }, question, countdown, field, info, result, verdict, scoreboard, final);
  banner.replaceChildren(
    el("div", { class: "quiz-head" }, el("span", { class: "quiz-badge", "aria-hidden": "true", text: "OX" }), title, role, score, collapse),
    body);

  function dispatch(action) {
    const before = state;
    state = reduceQuiz(state, action);
    if (state.state === "judged" && before.state !== "judged" && state.result) judgedAt = performance.now();
    if (state.question?.index !== before.question?.index) spoken = new Set();
    speak(before, action);
    render();
  }

  function clock() {
    return { serverNow: session.serverClock.known ? session.serverNow() : undefined, tickNow: session.tickNow(), tickRate: session.room?.tickRate ?? 20 };
  }

  function myField() {
    const me = session.myPosition();
    if (!me || !session.map) return null;
    return fieldAt(session.map, Math.floor(me.x / session.unitsPerTile), Math.floor(me.y / session.unitsPerTile));
  }

  /** What a screen reader hears: the question, the result, the verdict — not every second. */
  function speak(before, action) {
    let text = "";
    if (action.type === "quiz_question" && state.question) {
      text = `OX 퀴즈 ${state.question.index + 1}번 · Question ${state.question.index + 1}: ${state.question.text}`;
    } else if (action.type === "quiz_result" && state.result) {
      text = `정답은 ${state.result.answer} · The answer is ${state.result.answer}. ${state.result.explanation}`;
    } else if (action.type === "quiz_verdict" && state.verdict) {
      text = verdictText(state.verdict);
    } else if (action.type === "quiz_final") {
      text = "퀴즈가 끝났어요. 최종 순위가 나왔어요 · The quiz is over: final ranking.";
    } else if (action.type === "quiz" && state.state === "open" && before.state !== "open") {
      text = `OX 퀴즈가 열렸어요 · An OX quiz has opened: ${state.title}`;
    } else if (action.type === "quiz" && state.state === "paused" && before.state !== "paused") {
      text = "퀴즈가 잠시 멈췄어요 · The quiz is paused.";
    }
    if (text) announcer.textContent = text;
  }

  function verdictText(v) {
    if (v.out) return "틀렸어요 — 탈락했어요. 이제 관전해요 · Wrong — you are out and now watching.";
    if (v.correct) return `맞았어요! · Correct! (${v.chose})`;
    return v.chose === "none"
      ? "시간 안에 구역에 서지 않았어요 · You were on neither field: wrong."
      : `틀렸어요 · Wrong (${v.chose})`;
  }

  function render() {
    banner.hidden = state.state === "none";
    if (banner.hidden) return;
    banner.dataset.state = state.state;
    banner.dataset.role = state.role;
    banner.dataset.mode = state.mode;
    title.textContent = state.title ? `OX 퀴즈 · OX quiz — ${state.title}` : "OX 퀴즈 · OX quiz";
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

    // Before the first question, after a skip, or paused: a line of information.
    let infoText = "";
    if (state.state === "open") infoText = `곧 시작해요. 문제가 나오면 O 또는 X 구역으로 가세요 · Starting soon: when a question appears, walk to the O or X field. ${MODE_TEXT[state.mode] ?? ""}`;
    else if (state.state === "paused") infoText = "⏸ 잠시 멈춤 · Paused";
    else if (state.skipped !== null && !state.question) infoText = `${state.skipped + 1}번 문제는 건너뛰었어요 · Question ${state.skipped + 1} was skipped.`;
    else if (state.state === "judged" && !state.result) infoText = "다음 문제를 기다려요 · Waiting for the next question.";
    info.textContent = infoText;
    info.hidden = !infoText;

    renderResult();
    renderVerdict();
    renderScoreboard();
    renderFinal();
    tick();
    body.hidden = collapsed;
  }

  function renderResult() {
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

  function renderVerdict() {
    const v = state.verdict;
    verdict.hidden = !v || state.state !== "judged";
    if (!v) return;
    verdict.dataset.verdict = v.out ? "out" : v.correct ? "correct" : "wrong";
    verdict.textContent = verdictText(v);
  }

  function renderScoreboard() {
    const r = state.result;
    let content = null;
    if (state.mode === "points" && r?.top?.length) {
      content = el("ol", { class: "quiz-top", "aria-label": "순위 · Leaders" },
        ...r.top.map((row) => el("li", { class: row.name === session.welcome?.you.name ? "me" : "" },
          el("span", { class: "name", text: row.name }), el("span", { class: "points", text: `${row.score}` }))));
    } else if (state.mode === "survival" && Number.isFinite(state.alive)) {
      content = el("p", { text: `🧍 남은 사람 · Still in: ${state.alive}${state.players ? ` / ${state.players}` : ""}` });
    }
    scoreboard.hidden = !content || state.state === "ended";
    scoreboard.replaceChildren(...(content ? [el("h3", { text: "점수판 · Scoreboard" }), content] : []));
  }

  function renderFinal() {
    const f = state.final;
    final.hidden = !f;
    if (!f) return;
    const me = session.welcome?.you.name;
    final.replaceChildren(
      el("h3", { text: `🏆 최종 순위 · Final ranking${f.players ? ` (${f.players}명 · players)` : ""}` }),
      f.ranking.length
        ? el("ol", { class: "quiz-ranking" }, ...f.ranking.map((row) => el("li", { class: row.name === me ? "me" : "", value: String(row.rank ?? "") },
          el("span", { class: "rank", text: `${row.rank}` }), el("span", { class: "name", text: row.name }), el("span", { class: "points", text: `${row.score}` }))))
        : el("p", { text: "순위가 없어요 · No ranking." }),
      el("button", { type: "button", class: "button small secondary", dataset: { testid: "quiz-final-close" }, text: "닫기 · Close", onclick: () => dispatch({ type: "dismiss" }) }));
  }

  /** Every 100 ms: the countdown and where the visitor stands. */
  function tick() {
    if (state.state === "none") return;
    const asking = fieldsHighlighted(state);
    if (asking) {
      const left = quizRemaining(state, clock());
      const shown = secondsShown(left);
      seconds.textContent = `${shown}`;
      countdown.dataset.remainingMs = String(Math.round(left));
      countdown.dataset.seconds = String(shown);
      countdown.setAttribute("aria-label", `${shown}초 남음 · ${shown} s left`);
      const duration = state.question?.duration || 0;
      bar.firstElementChild.style.width = duration ? `${Math.max(0, Math.min(100, (left / duration) * 100))}%` : "0%";
      countdown.classList.toggle("urgent", left <= 5000 && state.state === "asking");
      // Ten and five seconds left are said once, for players.
      for (const mark of [10, 5]) {
        if (shown === mark && state.role === "player" && !spoken.has(mark) && state.state === "asking") {
          spoken.add(mark);
          announcer.textContent = `${mark}초 남았어요 · ${mark} seconds left`;
        }
      }
      const where = myField() ?? "none";
      if (field.dataset.field !== where) {
        field.dataset.field = where;
        field.textContent = FIELD_TEXT[where];
      }
    }
  }

  // ---- The map: fields highlighted while asking, the right one after judging ----
  const offLayer = renderer.addLayer((ctx, { zoom, now }) => {
    const map = session.map;
    if (!map) return;
    const asking = fieldsHighlighted(state);
    const glowing = state.state === "judged" && state.result && now - judgedAt < ANSWER_GLOW_MS;
    if (!asking && !glowing) return;
    const mine = asking ? myField() : null;
    for (const zone of map.zones) {
      if (zone.kind !== "quiz-o" && zone.kind !== "quiz-x") continue;
      const letter = zone.kind === "quiz-o" ? "O" : "X";
      const { x, y, width, height } = zone.pixels;
      const colour = letter === "O" ? "31,143,86" : "200,50,40";
      if (asking) {
        const pulse = 0.6 + 0.3 * Math.sin(now / 320);
        ctx.fillStyle = `rgba(${colour},${mine === letter ? 0.3 : 0.18})`;
        ctx.fillRect(x, y, width, height);
        ctx.strokeStyle = `rgba(${colour},${pulse})`;
        ctx.lineWidth = (mine === letter ? 6 : 4) / zoom;
        ctx.strokeRect(x, y, width, height);
      } else {
        const right = state.result.answer === letter;
        ctx.fillStyle = right ? "rgba(255,200,60,0.35)" : "rgba(40,40,60,0.18)";
        ctx.fillRect(x, y, width, height);
        if (right) {
          ctx.strokeStyle = "rgba(230,150,20,0.95)";
          ctx.lineWidth = 6 / zoom;
          ctx.strokeRect(x, y, width, height);
          renderer.drawLabel(ctx, `✔ 정답 · Answer ${letter}`, x + width / 2, y + height / 2, { size: 14, colour: "#3d2400", background: "rgba(255,243,214,0.96)" });
        }
      }
    }
  });

  const disposers = [
    ...SERVER_TYPES.map((type) => session.on(type, (message) => dispatch({
      ...message, myRole: session.role, serverNow: session.serverClock.known ? session.serverNow() : undefined,
    }))),
    session.on("welcome", ({ first }) => first && dispatch({ type: "reset" })),
    listen(collapse, "click", () => {
      collapsed = !collapsed;
      collapse.setAttribute("aria-expanded", String(!collapsed));
      collapse.textContent = collapsed ? "▸" : "▾";
      collapse.setAttribute("aria-label", collapsed ? "퀴즈 펼치기 · Expand the quiz" : "퀴즈 접기 · Collapse the quiz");
      body.hidden = collapsed;
    }),
    offLayer,
  ];
  const timer = setInterval(tick, TICK_MS);
  render();

  return {
    /** For window.atrium and app.js. */
    snapshot() {
      const left = quizRemaining(state, clock());
      return {
        state: state.state,
        role: state.role,
        mode: state.mode,
        title: state.title,
        index: state.index,
        total: state.total,
        question: state.question?.text ?? null,
        remainingMs: Math.round(left),
        seconds: secondsShown(left),
        field: myField(),
        result: state.result ? { answer: state.result.answer, counts: { ...state.result.counts } } : null,
        verdict: state.verdict ? { ...state.verdict } : null,
        score: state.score,
        final: state.final ? state.final.ranking.map((row) => ({ ...row })) : null,
      };
    },
    get state() {
      return state;
    },
    dispose() {
      clearInterval(timer);
      for (const dispose of disposers) dispose();
      banner.hidden = true;
      banner.replaceChildren();
    },
  };
}
