// The OX quiz without the DOM: a reducer over the server's quiz messages, the countdown
// from the question's deadline (server time) and the client's estimate of the server's
// clock, and which field the visitor stands on. quiz-view.js draws it; the Node tests
// drive it.

/**
 * Whether a visitor with `role` plays a quiz that opens now, by the room's `whoPlays`
 * (Protocol/README.md, "The OX quiz"): `everyone` but moderators, or only `registered`
 * people (participants and presenters). A server that does not say plays registered.
 */
export function playsIn(role, whoPlays = "registered") {
  if (role === "participant" || role === "presenter") return true;
  return role === "guest" && whoPlays === "everyone";
}

/**
 * Why a visitor watches instead of playing: "moderator" (runs it), "guest" (the room lets
 * only registered people play), "late" (came after it opened), "out" (survival), or null.
 */
export function watchReason(state, role) {
  if (state.role === "out") return "out";
  if (state.role !== "watching") return null;
  if (role === "moderator") return "moderator";
  if (state.joinedLate) return "late";
  if (role === "guest" && state.whoPlays !== "everyone") return "guest";
  return "late";
}

export const QUIZ_STATES = ["open", "asking", "paused", "judged", "ended"];

export function initialQuizState() {
  return {
    /** none · open · asking · paused · judged · ended */
    state: "none",
    title: "",
    mode: "points",
    total: 0,
    index: -1,
    players: 0,
    alive: null,
    /** The question being asked: {index, total, text, duration, deadline, deadlineTick}. */
    question: null,
    /** While paused: what was left of the countdown (ms). */
    pausedRemaining: null,
    result: null,
    verdict: null,
    skipped: null,
    final: null,
    score: null,
    /** The server's live count of the players on each field for the running question: {index, o, x, none}. */
    split: null,
    /** Who plays in this room: "everyone" or "registered" (from `quiz`). */
    whoPlays: "registered",
    /** Whether this visitor first heard of the quiz after it opened. */
    joinedLate: false,
    /**
     * This visitor in the quiz: "unknown" before any quiz, "player", "watching" (not a
     * player: a late arrival, a guest, a moderator) or "out" (survival: eliminated).
     */
    role: "unknown",
  };
}

const finite = (value) => (Number.isFinite(value) ? value : null);

/**
 * The time left of a question (ms, never negative, never more than its duration):
 * the deadline (server time) less the estimated server time now; or, without either,
 * from the deadline tick and the estimated tick.
 * @param {{deadline?: number, deadlineTick?: number, duration?: number}} question
 * @param {{serverNow?: number, tickNow?: number, tickRate?: number}} clock
 */
export function remainingMs(question, { serverNow, tickNow, tickRate } = {}) {
  if (!question) return 0;
  let left = null;
  if (Number.isFinite(question.deadline) && Number.isFinite(serverNow)) {
    left = question.deadline - serverNow;
  } else if (Number.isFinite(question.deadlineTick) && Number.isFinite(tickNow) && tickRate > 0) {
    left = ((question.deadlineTick - tickNow) / tickRate) * 1000;
  }
  if (left === null) return Number.isFinite(question.duration) ? question.duration : 0;
  const ceiling = Number.isFinite(question.duration) && question.duration > 0 ? question.duration : Infinity;
  return Math.min(Math.max(0, left), ceiling);
}

/** Whole seconds to show for `ms` left: 9.2 s shows 10, 0.2 s shows 1, 0 shows 0. */
export function secondsShown(ms) {
  return ms <= 0 ? 0 : Math.ceil(ms / 1000);
}

/** Which field tile (x, y) belongs to: "O", "X" or null (the server's rule: the tile under the avatar). */
export function fieldAt(map, x, y) {
  if (!map) return null;
  if (map.zonesAt(x, y, "quiz-o").length) return "O";
  if (map.zonesAt(x, y, "quiz-x").length) return "X";
  return null;
}

function withSummary(state, message) {
  return {
    ...state,
    title: typeof message.title === "string" ? message.title : state.title,
    mode: message.mode === "survival" || message.mode === "points" ? message.mode : state.mode,
    total: finite(message.total) ?? state.total,
    index: finite(message.index) ?? state.index,
    players: finite(message.players) ?? state.players,
    alive: finite(message.alive) ?? state.alive,
    whoPlays: message.whoPlays === "everyone" || message.whoPlays === "registered" ? message.whoPlays : state.whoPlays,
  };
}

/**
 * The next state after `action`: a server message (`quiz`, `quiz_question`, `quiz_split`,
 * `quiz_result`, `quiz_verdict`, `quiz_skipped`, `quiz_final`) with the context fields
 * `myRole` (the visitor's role) and `serverNow` (estimated server time when it arrived),
 * or `dismiss` (the visitor closed the final ranking), or `reset` (a new room).
 */
export function reduceQuiz(state, action) {
  switch (action.type) {
    case "reset":
      return initialQuizState();

    case "dismiss":
      return state.state === "ended" ? initialQuizState() : state;

    case "quiz": {
      const next = withSummary(state, action);
      const incoming = QUIZ_STATES.includes(action.state) ? action.state : state.state;
      if (typeof action.youPlay === "boolean") {
        // Catching up on a quiz under way as we came (or came back): the server says
        // whether we play — a newcomer watches, a returning player plays on.
        const role = action.youPlay ? "player" : state.role === "out" ? "out" : "watching";
        return { ...next, state: incoming, role, joinedLate: !action.youPlay };
      }
      if (incoming === "open") {
        if (state.state === "open") return next; // the same quiz, told again
        // A new quiz: whoever is here now and admitted by the room's setting plays.
        const summary = withSummary(initialQuizState(), action);
        return { ...summary, state: "open", role: playsIn(action.myRole, summary.whoPlays) ? "player" : "watching" };
      }
      // A quiz already under way when we first heard of it: we arrived late and watch.
      const late = state.role === "unknown";
      const role = late ? "watching" : state.role;
      if (late) next.joinedLate = true;
      if (incoming === "paused" && state.question && state.state !== "paused") {
        const left = Number.isFinite(action.remaining)
          ? action.remaining
          : remainingMs(state.question, { serverNow: action.serverNow });
        return { ...next, state: "paused", role, pausedRemaining: left };
      }
      if (incoming === "asking" && state.state === "paused" && state.question) {
        // Resumed: a deadline in the message wins; else the countdown goes on from where it stopped.
        const deadline = Number.isFinite(action.deadline)
          ? action.deadline
          : Number.isFinite(action.serverNow) && state.pausedRemaining !== null
            ? action.serverNow + state.pausedRemaining
            : state.question.deadline;
        return {
          ...next,
          state: "asking",
          role,
          pausedRemaining: null,
          question: { ...state.question, deadline, deadlineTick: finite(action.deadlineTick) },
        };
      }
      return { ...next, state: incoming, role, final: incoming === "ended" ? state.final : null };
    }

    case "quiz_question": {
      const late = state.role === "unknown";
      const role = late ? "watching" : state.role;
      // The server asks the same question again on resume, with what was left as its
      // duration: the bar keeps measuring against the whole question.
      const again = state.question && state.question.index === action.index;
      const duration = again && Number.isFinite(state.question.duration) && Number.isFinite(action.duration)
        ? Math.max(state.question.duration, action.duration)
        : finite(action.duration);
      return {
        ...state,
        state: "asking",
        role,
        joinedLate: state.joinedLate || late,
        index: finite(action.index) ?? state.index,
        total: finite(action.total) ?? state.total,
        question: {
          index: finite(action.index) ?? state.index + 1,
          total: finite(action.total) ?? state.total,
          text: typeof action.question === "string" ? action.question : "",
          duration,
          deadline: finite(action.deadline),
          deadlineTick: finite(action.deadlineTick),
        },
        pausedRemaining: null,
        // Asked again on resume: the split goes on; a new question starts without one.
        split: again ? state.split : null,
        result: null,
        verdict: null,
        skipped: null,
        final: null,
      };
    }

    case "quiz_split": {
      const index = finite(action.index);
      // Only for the question being asked: a late split of the previous one is stale.
      if (!state.question || index !== state.question.index) return state;
      return { ...state, split: { index, o: finite(action.o) ?? 0, x: finite(action.x) ?? 0, none: finite(action.none) ?? 0 } };
    }

    case "quiz_result":
      return {
        ...state,
        state: "judged",
        pausedRemaining: null,
        alive: finite(action.alive) ?? (Array.isArray(action.alive) ? action.alive.length : state.alive),
        result: {
          index: finite(action.index) ?? state.index,
          answer: action.answer === "X" ? "X" : "O",
          explanation: typeof action.explanation === "string" ? action.explanation : "",
          counts: {
            o: finite(action.counts?.o) ?? 0,
            x: finite(action.counts?.x) ?? 0,
            none: finite(action.counts?.none) ?? 0,
          },
          top: Array.isArray(action.top) ? action.top.filter((row) => row && typeof row.name === "string") : null,
          aliveNames: Array.isArray(action.alive) ? action.alive.map(String) : null,
        },
      };

    case "quiz_verdict": {
      // Only players get a verdict, so it proves this visitor plays (a page reload may
      // have lost that).
      const chose = action.chose === "O" || action.chose === "X" ? action.chose : "none";
      const out = Boolean(action.out);
      return {
        ...state,
        role: out || state.role === "out" ? "out" : "player",
        score: finite(action.score) ?? state.score,
        verdict: { index: finite(action.index) ?? state.index, chose, correct: Boolean(action.correct), out },
      };
    }

    case "quiz_skipped":
      return {
        ...state,
        state: state.state === "none" ? "open" : "judged",
        role: state.role === "unknown" ? "watching" : state.role,
        question: null,
        pausedRemaining: null,
        result: null,
        verdict: null,
        skipped: finite(action.index) ?? state.index,
      };

    case "quiz_final":
      return {
        ...state,
        state: "ended",
        question: null,
        pausedRemaining: null,
        mode: action.mode === "survival" || action.mode === "points" ? action.mode : state.mode,
        players: finite(action.players) ?? state.players,
        final: {
          mode: action.mode === "survival" || action.mode === "points" ? action.mode : state.mode,
          players: finite(action.players) ?? state.players,
          ranking: Array.isArray(action.ranking) ? action.ranking.filter((row) => row && typeof row.name === "string") : [],
        },
      };

    default:
      return state;
  }
}

/** Time left now for the state: frozen while paused, 0 when no question is asked. */
export function quizRemaining(state, clock) {
  if (state.state === "paused") return state.pausedRemaining ?? 0;
  if (state.state !== "asking" || !state.question) return 0;
  return remainingMs(state.question, clock);
}

/** Whether the O and X fields should stand out on the map: a question is being asked. */
export function fieldsHighlighted(state) {
  return (state.state === "asking" || state.state === "paused") && Boolean(state.question);
}

/** Whether there is a quiz to show at all. */
export function quizVisible(state) {
  return state.state !== "none";
}

/** The players' live split on the fields while a question runs, as the server counts it; null before the first count. */
export function liveSplit(state) {
  if (!fieldsHighlighted(state) || !state.split || state.split.index !== state.question.index) return null;
  const { o, x, none } = state.split;
  return { o, x, none };
}

/**
 * Where "go to O" (or X) walks, in units: the walkable tile of that field nearest to
 * `from`, a tile in from its edge where the field is wide enough (a little drift on
 * arrival must not leave it). The server finds the path. Null when there is no field.
 */
export function fieldTarget(map, letter, from, unitsPerTile) {
  if (!map) return null;
  const kind = letter === "O" ? "quiz-o" : "quiz-x";
  const here = { x: from.x / unitsPerTile, y: from.y / unitsPerTile };
  let best = null;
  let bestScore = Infinity;
  for (const zone of map.zones) {
    if (zone.kind !== kind) continue;
    const { x: left, y: top, width, height } = zone.rect;
    for (let y = top; y < top + height; y++) {
      for (let x = left; x < left + width; x++) {
        if (map.isBlocked(x, y)) continue;
        const edge = (width > 2 && (x === left || x === left + width - 1)) || (height > 2 && (y === top || y === top + height - 1));
        const score = (edge ? 1000 : 0) + Math.hypot(x + 0.5 - here.x, y + 0.5 - here.y);
        if (score < bestScore) {
          best = { x: (x + 0.5) * unitsPerTile, y: (y + 0.5) * unitsPerTile };
          bestScore = score;
        }
      }
    }
  }
  return best;
}
