// The quiz card on the DOM stand-in: the banner through a whole quiz, where the visitor
// stands, what a screen reader hears, and the final ranking closed by the visitor.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { FakeSession, fakeRenderer, plaza } from "./fake-session.mjs";
import { el } from "../../Web/js/dom.js";
import { attachQuiz } from "../../Web/js/quiz-view.js";
import { spokenText, verdictText } from "../../Web/js/quiz/words.js";
import { drawQuizFields } from "../../Web/js/quiz/layer.js";
import { initialQuizState, reduceQuiz } from "../../Web/js/quiz.js";
import { domPerTest, recordingContext } from "./dom.mjs";

const attached = domPerTest({ beforeEach, afterEach });

const testid = (root, id) => root.querySelector(`[data-testid="${id}"]`);

function attach(session) {
  const banner = el("section", { hidden: true });
  const announcer = el("div");
  document.body.append(banner, announcer);
  const renderer = fakeRenderer();
  const walks = [];
  const quiz = attachQuiz({ session, renderer, input: { walk: (units) => walks.push(units) }, elements: { banner, announcer } });
  attached.push(quiz);
  return { quiz, banner, announcer, renderer, walks };
}

test("a participant here at the opening plays: question, countdown, field, verdict, result and ranking", () => {
  const session = new FakeSession({ map: plaza(), name: "Player" });
  session.place(12, 24); // on the O field
  const { quiz, banner, announcer, renderer } = attach(session);
  assert.equal(banner.hidden, true);
  session.emit("quiz", { type: "quiz", state: "open", title: "Expo", mode: "points", total: 2, index: -1 });
  assert.equal(banner.hidden, false);
  assert.equal(banner.dataset.role, "player");
  assert.match(announcer.textContent, /has opened: Expo/);
  assert.equal(testid(banner, "quiz-info").hidden, false);

  session.emit("quiz_question", { type: "quiz_question", index: 0, total: 2, question: "Is O right?", duration: 10000, deadlineTick: 300 });
  assert.equal(testid(banner, "quiz-question").textContent, "Q1/2. Is O right?");
  assert.equal(testid(banner, "quiz-countdown").hidden, false);
  assert.equal(testid(banner, "quiz-field").dataset.field, "O");
  assert.equal(testid(banner, "quiz-countdown").dataset.seconds, "10"); // 200 ticks at 20 Hz from tick 100
  assert.match(announcer.textContent, /Question 1: Is O right\?/);

  session.emit("quiz_verdict", { type: "quiz_verdict", index: 0, chose: "O", correct: true, score: 1 });
  session.emit("quiz_result", { type: "quiz_result", index: 0, answer: "O", explanation: "It is.", counts: { o: 3, x: 1, none: 0 }, top: [{ name: "Player", score: 1 }] });
  assert.equal(testid(banner, "quiz-result").dataset.answer, "O");
  assert.match(testid(banner, "quiz-counts").textContent, /O 3 · X 1/);
  assert.equal(testid(banner, "quiz-verdict").dataset.verdict, "correct");
  assert.equal(testid(banner, "quiz-scoreboard").querySelector("li.me").textContent, "Player1");
  assert.equal(quiz.snapshot().score, 1);

  session.emit("quiz_final", { type: "quiz_final", mode: "points", players: 4, ranking: [{ rank: 1, name: "Player", score: 1 }] });
  assert.equal(testid(banner, "quiz-final").hidden, false);
  testid(banner, "quiz-final-close").click();
  assert.equal(banner.hidden, true);
  assert.equal(quiz.snapshot().state, "none");
  quiz.dispose();
  assert.equal(session.listenerCount, 0);
  assert.equal(renderer.layers.size, 0);
});

test("a guest in a room for registered players watches, is told why, and gets no field or go buttons", () => {
  const session = new FakeSession({ map: plaza(), role: "guest" });
  session.place(12, 24);
  const { quiz, banner } = attach(session);
  session.emit("quiz", { type: "quiz", state: "open", title: "Expo", mode: "points", total: 1, index: -1, whoPlays: "registered" });
  session.emit("quiz_question", { type: "quiz_question", index: 0, total: 1, question: "Q", duration: 10000, deadlineTick: 300 });
  assert.equal(banner.dataset.role, "watching");
  assert.equal(testid(banner, "quiz-field").hidden, true);
  assert.equal(testid(banner, "quiz-go-o").closest(".quiz-go-row").hidden, true);
  assert.equal(testid(banner, "quiz-watch-reason").dataset.reason, "guest");
  assert.match(testid(banner, "quiz-watch-reason").textContent, /only registered participants play/);
  quiz.dispose();
});

test("a guest where everyone plays plays; the go buttons walk to a field; the split is the server's count", () => {
  const session = new FakeSession({ map: plaza(), role: "guest" });
  session.place(23, 15);
  session.place(12, 24, 2);
  session.place(13, 24, 3);
  session.place(31, 24, 4);
  const { banner, walks } = attach(session);
  session.emit("quiz", { type: "quiz", state: "open", title: "다시 시작 엑스포 OX 퀴즈", mode: "points", total: 1, index: -1, whoPlays: "everyone" });
  assert.equal(banner.dataset.role, "player");
  assert.equal(banner.querySelector(".quiz-title").textContent, "다시 시작 엑스포 OX 퀴즈", "the title is not repeated");
  assert.equal(testid(banner, "quiz-watch-reason").hidden, true);
  session.emit("quiz_question", { type: "quiz_question", index: 0, total: 1, question: "Q", duration: 10000, deadlineTick: 300 });
  const split = testid(banner, "quiz-split");
  assert.equal(split.hidden, true, "no count yet: nothing is guessed from the avatars in view");
  session.emit("quiz_split", { type: "quiz_split", index: 0, o: 40, x: 25, none: 7 });
  assert.deepEqual([split.dataset.o, split.dataset.x, split.dataset.none], ["40", "25", "7"]);
  assert.match(split.textContent, /on O: 40, on X: 25, undecided: 7/);
  assert.equal(split.hidden, false);
  testid(banner, "quiz-go-x").click();
  assert.equal(walks.length, 1);
  assert.deepEqual(walks[0], { x: 31.5 * 64, y: 23.5 * 64 });
});

test("the screen reader hears the question, the answer and the verdict, not every second", () => {
  const before = initialQuizState();
  const asked = reduceQuiz(before, { type: "quiz_question", index: 2, question: "Why?", duration: 5000 });
  assert.equal(spokenText(before, { type: "quiz_question" }, asked), "OX 퀴즈 3번 · Question 3: Why?");
  assert.equal(spokenText(asked, { type: "tick" }, asked), "");
  assert.match(verdictText({ out: true }), /you are out/);
  assert.match(verdictText({ correct: false, chose: "none" }), /neither field/);
});

test("while asking, the field the visitor stands on is drawn more strongly; after judging the answer glows", () => {
  const map = plaza();
  const asking = reduceQuiz(initialQuizState(), { type: "quiz_question", index: 0, question: "Q", duration: 5000 });
  const ctx = recordingContext();
  const widths = [];
  const proxy = new Proxy(ctx, { set: (target, key, value) => (key === "lineWidth" && widths.push(value), (target[key] = value), true) });
  drawQuizFields(proxy, { map, state: asking, mine: "O", judgedAt: 0, zoom: 1, now: 0, drawLabel() {} });
  assert.deepEqual(widths, [6, 4]);
  const labels = [];
  const judged = reduceQuiz(asking, { type: "quiz_result", index: 0, answer: "X", counts: {} });
  drawQuizFields(ctx, { map, state: judged, mine: null, judgedAt: 0, zoom: 1, now: 100, drawLabel: (_, text) => labels.push(text) });
  assert.deepEqual(labels, ["✔ 정답 · Answer X"]);
  labels.length = 0;
  drawQuizFields(ctx, { map, state: judged, mine: null, judgedAt: 0, zoom: 1, now: 9000, drawLabel: (_, text) => labels.push(text) });
  assert.deepEqual(labels, [], "the glow fades after a while");
});
