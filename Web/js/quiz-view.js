// The OX quiz on screen: the card over the map (quiz/card.js), the fields on the map
// (quiz/layer.js) and what a screen reader hears (quiz/words.js). The state lives in
// quiz.js; this module feeds it the server's messages and the clocks.

import { fieldAt, fieldTarget, initialQuizState, liveSplit, watchReason, quizRemaining, reduceQuiz, secondsShown } from "./quiz.js";
import { createQuizCard } from "./quiz/card.js";
import { drawQuizFields } from "./quiz/layer.js";
import { spokenText } from "./quiz/words.js";

const TICK_MS = 100;
const SERVER_TYPES = ["quiz", "quiz_question", "quiz_split", "quiz_result", "quiz_verdict", "quiz_skipped", "quiz_final"];
/** Seconds left that are said aloud once, for players. */
const SPOKEN_SECONDS = [10, 5];

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session
 * @param {import("./renderer.js").Renderer} options.renderer
 * @param {{walk: (units: {x: number, y: number}) => void}} options.input "go to O / X" walks with it
 * @param {object} options.elements banner (the quiz card), announcer (polite live region)
 */
export function attachQuiz({ session, renderer, input, elements }) {
  const { banner, announcer } = elements;
  let state = initialQuizState();
  let judgedAt = 0;
  let spoken = new Set();
  const card = createQuizCard({ banner, onDismiss: () => dispatch({ type: "dismiss" }), onGo: goTo });

  /** Walks to the nearest spot inside field `letter`; the server finds the path. */
  function goTo(letter) {
    const me = session.myPosition();
    const target = me && fieldTarget(session.map, letter, me, session.unitsPerTile);
    if (target) input?.walk(target);
  }

  function dispatch(action) {
    const before = state;
    state = reduceQuiz(state, action);
    if (state.state === "judged" && before.state !== "judged" && state.result) judgedAt = performance.now();
    if (state.question?.index !== before.question?.index) {
      // A question shorter than a mark never crosses it: the question itself is said instead.
      const start = secondsShown(state.question?.duration ?? 0);
      spoken = new Set(SPOKEN_SECONDS.filter((mark) => mark >= start));
    }
    const text = spokenText(before, action, state);
    if (text) announcer.textContent = text;
    card.render(state, { myName: session.welcome?.you.name, myRole: session.role });
    tick();
  }

  function clock() {
    return { serverNow: session.serverClock.known ? session.serverNow() : undefined, tickNow: session.tickNow(), tickRate: session.room?.tickRate ?? 20 };
  }

  function myField() {
    const me = session.myPosition();
    if (!me || !session.map) return null;
    return fieldAt(session.map, Math.floor(me.x / session.unitsPerTile), Math.floor(me.y / session.unitsPerTile));
  }

  function tick() {
    const shown = card.tick(state, { clock: clock(), where: myField() ?? "none", crowd: liveSplit(state) });
    if (shown === null || state.role !== "player" || state.state !== "asking") return;
    for (const mark of SPOKEN_SECONDS) {
      if (shown === mark && !spoken.has(mark)) {
        spoken.add(mark);
        announcer.textContent = `${mark}초 남았어요 · ${mark} seconds left`;
      }
    }
  }

  const disposers = [
    ...SERVER_TYPES.map((type) => session.on(type, (message) => dispatch({
      ...message, myRole: session.role, serverNow: session.serverClock.known ? session.serverNow() : undefined,
    }))),
    session.on("welcome", ({ first }) => first && dispatch({ type: "reset" })),
    renderer.addLayer((ctx, { zoom, now }) => drawQuizFields(ctx, {
      map: session.map, state, mine: myField(), judgedAt, zoom, now, drawLabel: (...args) => renderer.drawLabel(...args),
    })),
  ];
  const timer = setInterval(tick, TICK_MS);
  card.render(state, { myName: session.welcome?.you.name, myRole: session.role });

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
        whoPlays: state.whoPlays,
        watchReason: watchReason(state, session.role),
        crowd: liveSplit(state),
        final: state.final ? state.final.ranking.map((row) => ({ ...row })) : null,
      };
    },
    get state() {
      return state;
    },
    dispose() {
      clearInterval(timer);
      for (const dispose of disposers) dispose();
      card.dispose();
    },
  };
}
