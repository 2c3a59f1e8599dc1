// The instance picker: when a crowded room runs as several instances (channels), the
// server tells each visitor which ones run and how full they are (`instances`). A small
// button over the map shows "Instance 2 of 3"; its list shows each instance's count and
// lets the visitor move to one with room. Moving asks the seat endpoint for that
// instance, leaves this one and joins there as the same person (Connection's
// `switchInstance`). Hidden in a room that runs as one instance.

import { el } from "./dom.js";

/** The rows the picker lists: every instance, its count, and whether one can move there. */
export function instanceRows(message) {
  return [...(message.instances ?? [])]
    .sort((a, b) => a.number - b.number)
    .map(({ number, population }) => ({
      number,
      population,
      mine: number === message.instance,
      full: population >= message.capacity,
      label: `${number}번 채널 · Instance ${number}`,
      count: `${population}/${message.capacity}`,
    }));
}

/** What the button says: the visitor's instance among how many. */
export function instanceTitle(message) {
  const total = message.instances?.length ?? 1;
  return `채널 ${message.instance}/${total} · Instance ${message.instance} of ${total}`;
}

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session its connection switches
 * @param {HTMLElement} options.slot where the button goes (the toolbar over the map)
 * @param {{show: (text: string, options?: object) => void}} options.toaster
 */
export function attachInstances({ session, slot, toaster }) {
  const list = el("ul", { class: "instance-list", dataset: { testid: "instance-list" } });
  const summary = el("summary", { class: "round-button instance-button", dataset: { testid: "instance-button" } });
  const picker = el("details", { class: "instance-picker", hidden: true }, summary, list);
  slot.append(picker);
  let last = null;

  function show(message) {
    last = message;
    picker.hidden = (message.instances?.length ?? 0) < 2 && message.instance === 1;
    summary.textContent = `🏠 ${message.instance}`;
    summary.title = instanceTitle(message);
    summary.setAttribute("aria-label", instanceTitle(message));
    list.replaceChildren(...instanceRows(message).map((row) => {
      const button = el("button", {
        type: "button",
        text: `${row.label} · ${row.count}${row.mine ? " ✓" : ""}`,
        dataset: { instance: String(row.number) },
      });
      button.disabled = row.mine || row.full;
      button.addEventListener("click", () => move(row.number));
      return el("li", {}, button);
    }));
  }

  function move(number) {
    if (!last || number === last.instance) return;
    picker.open = false;
    if (!session.connection?.switchInstance?.(number)) {
      toaster.show("연결되면 다시 눌러 주세요 · Not connected; try again in a moment", { kind: "error" });
      return;
    }
    toaster.show(`${number}번 채널로 이동해요 · Moving to instance ${number}`, { kind: "info" });
  }

  const disposers = [session.on("instances", show)];
  return {
    snapshot: () => (last ? { instance: last.instance, instances: instanceRows(last) } : null),
    dispose() {
      for (const dispose of disposers) dispose();
      picker.remove();
    },
  };
}

/** The picker as a feature (features.js): it lives in the toolbar over the map. */
export const instancesFeature = {
  name: "instances",
  attach: ({ session, slots, toaster }) => attachInstances({ session, slot: slots.toolbar, toaster }),
};
