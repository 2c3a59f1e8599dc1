// The OX quiz without the DOM: the countdown from the server's deadline and the client's
// estimate of the server clock, the fields, and the reducer over the quiz messages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseMap } from "../../Web/js/tiled.js";
import { ServerClock } from "../../Web/js/clock.js";
import {
  fieldAt, fieldTarget, fieldsHighlighted, initialQuizState, liveSplit, quizRemaining, reduceQuiz, remainingMs, secondsShown,
  watchReason,
} from "../../Web/js/quiz.js";

const plaza = parseMap(JSON.parse(readFileSync(new URL("../../Maps/tests/plaza.tmj", import.meta.url), "utf8")));
const T0 = 1_795_000_000_000; // a server time, ms since epoch
const run = (actions, state = initialQuizState()) => actions.reduce(reduceQuiz, state);
const opening = { type: "quiz", state: "open", title: "Expo quiz", mode: "points", total: 3, index: -1, players: 4, alive: 4 };
const question = (index, deadline, duration = 10000) => ({
  type: "quiz_question", index, total: 3, question: `Question ${index + 1}?`, duration, deadline, deadlineTick: 1000 + index * 400,
});

test("the server clock: a welcome gives a first estimate; the shortest round trip wins", () => {
  const clock = new ServerClock();
  assert.equal(clock.known, false);
  assert.equal(clock.now(5000), 5000);
  // The local clock is 1 h behind the server's: welcome stamped 20 ms before it arrived.
  clock.observe(T0, T0 - 3_600_000 + 20);
  assert.equal(clock.known, true);
  assert.equal(clock.now(T0 - 3_600_000 + 20), T0);
  // A pong: sent at local 1000, back at 1100 (100 ms round trip), server read T0 + 2000 in between.
  clock.observe(T0 + 2000, T0 - 3_600_000 + 2050, T0 - 3_600_000 + 1950);
  assert.equal(clock.offset, 3_600_000);
  // A slower round trip later does not replace the better sample.
  clock.observe(T0 + 5300, T0 - 3_600_000 + 5500, T0 - 3_600_000 + 4900);
  assert.equal(clock.offset, 3_600_000);
  // A faster one does.
  clock.observe(T0 + 8010, T0 - 3_600_000 + 8010, T0 - 3_600_000 + 7990);
  assert.equal(clock.offset, 3_600_000 + 10);
  // Nonsense is ignored.
  clock.observe(Number.NaN, 0);
  assert.equal(clock.offset, 3_600_000 + 10);
});

test("the countdown is the deadline less the estimated server time, clamped to [0, duration]", () => {
  const q = { deadline: T0 + 10000, deadlineTick: 1200, duration: 10000 };
  assert.equal(remainingMs(q, { serverNow: T0 }), 10000);
  assert.equal(remainingMs(q, { serverNow: T0 + 2500 }), 7500);
  assert.equal(remainingMs(q, { serverNow: T0 + 12000 }), 0);
  // A client clock estimate that runs early never shows more than the question's time.
  assert.equal(remainingMs(q, { serverNow: T0 - 3000 }), 10000);
  // Without a server clock yet: from the deadline tick and the estimated tick (20 per s).
  assert.equal(remainingMs(q, { tickNow: 1100, tickRate: 20 }), 5000);
  assert.equal(remainingMs(q, {}), 10000);
  assert.equal(remainingMs(null, { serverNow: T0 }), 0);
  // Local time drifting from the server's does not matter: the estimate carries the offset.
  const clock = new ServerClock();
  clock.observe(T0, 1000, 980); // local clock reads 990 when the server reads T0
  assert.equal(remainingMs(q, { serverNow: clock.now(990 + 4000) }), 6000);
});

test("seconds shown round up, so 10 shows until the first second has passed and 0 only at the end", () => {
  assert.equal(secondsShown(10000), 10);
  assert.equal(secondsShown(9001), 10);
  assert.equal(secondsShown(9000), 9);
  assert.equal(secondsShown(1), 1);
  assert.equal(secondsShown(0), 0);
  assert.equal(secondsShown(-5), 0);
});

test("fields: the tile under the avatar is on O, on X or on neither", () => {
  assert.equal(fieldAt(plaza, 10, 22), "O");
  assert.equal(fieldAt(plaza, 17, 27), "O");
  assert.equal(fieldAt(plaza, 18, 27), null);
  assert.equal(fieldAt(plaza, 30, 22), "X");
  assert.equal(fieldAt(plaza, 37, 27), "X");
  assert.equal(fieldAt(plaza, 24, 15), null);
  assert.equal(fieldAt(null, 10, 22), null);
});

test("a quiz that opens while here: participants and presenters play, others watch", () => {
  for (const [role, expected] of [["participant", "player"], ["presenter", "player"], ["guest", "watching"], ["moderator", "watching"]]) {
    const state = reduceQuiz(initialQuizState(), { ...opening, myRole: role });
    assert.equal(state.state, "open");
    assert.equal(state.role, expected, role);
    assert.equal(state.title, "Expo quiz");
    assert.equal(state.players, 4);
  }
});

test("in a room where everyone plays, guests play too; moderators never; each watcher is told why", () => {
  const everyone = { ...opening, whoPlays: "everyone" };
  for (const [role, expected, why] of [["guest", "player", null], ["participant", "player", null], ["moderator", "watching", "moderator"]]) {
    const state = reduceQuiz(initialQuizState(), { ...everyone, myRole: role });
    assert.equal(state.role, expected, role);
    assert.equal(state.whoPlays, "everyone");
    assert.equal(watchReason(state, role), why, role);
  }
  const registered = reduceQuiz(initialQuizState(), { ...opening, whoPlays: "registered", myRole: "guest" });
  assert.equal(registered.role, "watching");
  assert.equal(watchReason(registered, "guest"), "guest");
  // A server that does not say: registered people play, as before.
  assert.equal(reduceQuiz(initialQuizState(), { ...opening, myRole: "guest" }).role, "watching");
  const late = reduceQuiz(initialQuizState(), { ...opening, state: "asking", whoPlays: "everyone", myRole: "guest" });
  assert.equal(watchReason(late, "guest"), "late");
});

test("catching up on a quiz under way: the server says whether this visitor plays", () => {
  const newcomer = reduceQuiz(initialQuizState(), { ...opening, whoPlays: "everyone", youPlay: false, myRole: "guest" });
  assert.equal(newcomer.state, "open");
  assert.equal(newcomer.role, "watching");
  assert.equal(watchReason(newcomer, "guest"), "late");
  const back = reduceQuiz(initialQuizState(), { ...opening, state: "asking", youPlay: true, myRole: "participant" });
  assert.equal(back.role, "player", "a reload of a player plays on");
});

test("the live split is the server's, for the question being asked only", () => {
  let state = reduceQuiz(initialQuizState(), { ...opening, myRole: "participant" });
  state = reduceQuiz(state, { type: "quiz_question", index: 0, total: 3, question: "Q1", duration: 5000 });
  assert.equal(liveSplit(state), null, "nothing before the first count");
  state = reduceQuiz(state, { type: "quiz_split", index: 0, o: 3, x: 1, none: 2 });
  assert.deepEqual(liveSplit(state), { o: 3, x: 1, none: 2 });
  // The same question asked again on resume keeps its split; the next one starts without.
  state = reduceQuiz(state, { type: "quiz_question", index: 0, total: 3, question: "Q1", duration: 3000 });
  assert.deepEqual(liveSplit(state), { o: 3, x: 1, none: 2 });
  state = reduceQuiz(state, { type: "quiz_question", index: 1, total: 3, question: "Q2", duration: 5000 });
  assert.equal(liveSplit(state), null);
  state = reduceQuiz(state, { type: "quiz_split", index: 0, o: 9, x: 9, none: 0 });
  assert.equal(liveSplit(state), null, "a late count of the last question is ignored");
  state = reduceQuiz(state, { type: "quiz_result", index: 1, answer: "O", counts: { o: 1, x: 1, none: 0 } });
  assert.equal(liveSplit(state), null, "judged: the result's counts take over");
});

test("where 'go to O / X' walks", () => {
  const at = (x, y) => ({ x: (x + 0.5) * 64, y: (y + 0.5) * 64 });
  // The plaza's O field is x 10–17, the X field x 30–37, both y 22–27.
  const toX = fieldTarget(plaza, "X", at(23, 15), 64);
  assert.deepEqual(toX, at(31, 23), "the nearest tile a step inside the X field");
  assert.equal(fieldAt(plaza, Math.floor(toX.x / 64), Math.floor(toX.y / 64)), "X");
  const toO = fieldTarget(plaza, "O", at(23, 15), 64);
  assert.deepEqual(toO, at(16, 23));
  assert.equal(fieldTarget(null, "O", at(1, 1), 64), null);
});

test("arriving late: the first thing heard is a question, so the visitor watches", () => {
  const state = reduceQuiz(initialQuizState(), { ...question(1, T0 + 10000), myRole: "participant" });
  assert.equal(state.role, "watching");
  assert.equal(state.state, "asking");
  assert.equal(state.question.text, "Question 2?");
  // …unless a verdict proves otherwise (a reload that resumed a player).
  const proven = reduceQuiz(state, { type: "quiz_verdict", index: 1, chose: "O", correct: true, out: false, score: 2 });
  assert.equal(proven.role, "player");
  assert.equal(proven.score, 2);
});

test("a question: asked, counted down, judged with the player's verdict and the scoreboard", () => {
  let state = run([{ ...opening, myRole: "participant" }, question(0, T0 + 10000)]);
  assert.equal(state.state, "asking");
  assert.ok(fieldsHighlighted(state));
  assert.equal(quizRemaining(state, { serverNow: T0 + 4000 }), 6000);
  state = run([
    { type: "quiz", state: "judged", index: 0 },
    { type: "quiz_result", index: 0, answer: "X", explanation: "Because.", counts: { o: 1, x: 2, none: 1 }, top: [{ name: "Mina", score: 1 }, { name: "Joon", score: 1 }] },
    { type: "quiz_verdict", index: 0, chose: "X", correct: true, out: false, score: 1 },
  ], state);
  assert.equal(state.state, "judged");
  assert.ok(!fieldsHighlighted(state));
  assert.equal(quizRemaining(state, { serverNow: T0 }), 0);
  assert.deepEqual(state.result.counts, { o: 1, x: 2, none: 1 });
  assert.equal(state.result.answer, "X");
  assert.deepEqual(state.result.top.map((row) => row.name), ["Mina", "Joon"]);
  assert.deepEqual(state.verdict, { index: 0, chose: "X", correct: true, out: false });
  assert.equal(state.score, 1);
  // The next question clears the last result and verdict.
  state = reduceQuiz(state, question(1, T0 + 30000));
  assert.equal(state.result, null);
  assert.equal(state.verdict, null);
  assert.equal(state.role, "player");
});

test("survival: a wrong answer is out, and stays out", () => {
  let state = run([
    { ...opening, mode: "survival", myRole: "participant" },
    question(0, T0 + 10000),
    { type: "quiz_result", index: 0, answer: "O", explanation: "", counts: { o: 3, x: 0, none: 1 }, alive: 3 },
    { type: "quiz_verdict", index: 0, chose: "none", correct: false, out: true, score: 0 },
  ]);
  assert.equal(state.role, "out");
  assert.equal(state.alive, 3);
  assert.equal(state.verdict.chose, "none");
  state = reduceQuiz(state, question(1, T0 + 30000));
  assert.equal(state.role, "out");
});

test("pause freezes the countdown; resume goes on from where it stopped, or from a new deadline", () => {
  let state = run([{ ...opening, myRole: "participant" }, question(0, T0 + 10000)]);
  state = reduceQuiz(state, { type: "quiz", state: "paused", index: 0, serverNow: T0 + 3000 });
  assert.equal(state.state, "paused");
  assert.equal(state.pausedRemaining, 7000);
  assert.equal(quizRemaining(state, { serverNow: T0 + 60000 }), 7000);
  assert.ok(fieldsHighlighted(state));
  // Resumed 20 s later without a deadline in the message: 7 s are left from then.
  let resumed = reduceQuiz(state, { type: "quiz", state: "asking", index: 0, serverNow: T0 + 23000 });
  assert.equal(resumed.state, "asking");
  assert.equal(quizRemaining(resumed, { serverNow: T0 + 23000 }), 7000);
  assert.equal(quizRemaining(resumed, { serverNow: T0 + 25000 }), 5000);
  // A deadline in the message wins.
  resumed = reduceQuiz(state, { type: "quiz", state: "asking", index: 0, serverNow: T0 + 23000, deadline: T0 + 29000 });
  assert.equal(quizRemaining(resumed, { serverNow: T0 + 23000 }), 6000);
  // The server asks the question again on resume, with what was left as its duration
  // and a new deadline: that wins, and the bar still measures the whole question.
  resumed = run([question(0, T0 + 30000, 7000), { type: "quiz", state: "asking", index: 0, serverNow: T0 + 23000 }], state);
  assert.equal(resumed.state, "asking");
  assert.equal(quizRemaining(resumed, { serverNow: T0 + 23000 }), 7000);
  assert.equal(resumed.question.duration, 10000);
});

test("skip drops the question unjudged; the end shows the ranking until dismissed", () => {
  let state = run([{ ...opening, myRole: "participant" }, question(0, T0 + 10000), { type: "quiz_skipped", index: 0 }]);
  assert.equal(state.question, null);
  assert.equal(state.skipped, 0);
  assert.ok(!fieldsHighlighted(state));
  state = run([
    { type: "quiz", state: "ended", index: 0 },
    { type: "quiz_final", mode: "points", players: 4, ranking: [{ rank: 1, name: "Mina", score: 3 }, { rank: 2, name: "Joon", score: 2 }] },
  ], state);
  assert.equal(state.state, "ended");
  assert.deepEqual(state.final.ranking.map((row) => row.rank), [1, 2]);
  assert.equal(state.final.players, 4);
  state = reduceQuiz(state, { type: "dismiss" });
  assert.equal(state.state, "none");
  // A dismiss while a quiz runs changes nothing.
  const running = run([{ ...opening, myRole: "guest" }]);
  assert.equal(reduceQuiz(running, { type: "dismiss" }), running);
});

test("malformed fields do not break the state", () => {
  const state = run([
    { type: "quiz", state: "bogus", title: 5, mode: "nonsense", total: "3" },
    { type: "quiz_result", answer: "maybe", counts: null, top: [null, { name: "A", score: 1 }] },
  ]);
  assert.equal(state.mode, "points");
  assert.equal(state.total, 0);
  assert.equal(state.result.answer, "O");
  assert.deepEqual(state.result.counts, { o: 0, x: 0, none: 0 });
  assert.deepEqual(state.result.top, [{ name: "A", score: 1 }]);
});
