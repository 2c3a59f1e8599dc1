// The confirmation a moderator gives before a kick or a ban, with an optional reason.

/**
 * Shows `dialog` (the confirm <dialog> of index.html) for `action` on `person`; resolves
 * to {reason} when confirmed, or null.
 */
export function confirmAction(dialog, action, person) {
  const title = dialog.querySelector("[data-part=title]");
  const message = dialog.querySelector("[data-part=message]");
  const reason = dialog.querySelector("[data-part=reason]");
  const ok = dialog.querySelector("[data-part=ok]");
  title.textContent = action === "kick" ? `${person.name} 님을 내보낼까요? · Remove ${person.name}?` : `${person.name} 님을 차단할까요? · Ban ${person.name}?`;
  message.textContent = action === "kick"
    ? "지금 방에서 나가게 돼요. 다시 들어올 수는 있어요 · They leave the room now and may come back."
    : "지금 나가게 되고, 이 행사에 다시 들어올 수 없어요 (재시작 후에도) · They leave now and cannot join this event again, even after a restart.";
  ok.textContent = action === "kick" ? "내보내기 · Kick" : "차단하기 · Ban";
  reason.value = "";
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok" ? { reason: reason.value.trim() } : null), { once: true });
    dialog.showModal();
    reason.focus();
  });
}
