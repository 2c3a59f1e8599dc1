// The quiz on the map: the O and X fields pulse while a question is asked (the one the
// visitor stands on more strongly), and the right one glows for a while after judging.

import { fieldsHighlighted } from "../quiz.js";

export const ANSWER_GLOW_MS = 8000;

/**
 * Draws the fields for `state`. `mine` is the field the visitor stands on ("O", "X" or
 * null); `judgedAt` when the result came (performance.now()).
 */
export function drawQuizFields(ctx, { map, state, mine, judgedAt, zoom, now, drawLabel }) {
  if (!map) return;
  const asking = fieldsHighlighted(state);
  const glowing = state.state === "judged" && state.result && now - judgedAt < ANSWER_GLOW_MS;
  if (!asking && !glowing) return;
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
        drawLabel(ctx, `✔ 정답 · Answer ${letter}`, x + width / 2, y + height / 2, { size: 14, colour: "#3d2400", background: "rgba(255,243,214,0.96)" });
      }
    }
  }
}
