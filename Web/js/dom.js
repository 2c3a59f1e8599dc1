// Small DOM helpers shared by the UI modules.

export const byId = (id) => document.getElementById(id);

/** Creates an element: `el("li", {class: "x", dataset: {id: 1}}, "text", child)`. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/** Whether a key event belongs to a form field (typing must never walk the avatar). */
export function isTyping(event) {
  const target = event.target;
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  // Radio groups use the arrow keys themselves (the chat scope selector).
  return target instanceof HTMLInputElement && !["checkbox", "button", "submit"].includes(target.type);
}

/** Whether a modal dialog (an exhibit, a confirmation) holds the keyboard: the map must not walk. */
export function modalOpen() {
  try {
    return document.querySelector("dialog:modal") !== null;
  } catch {
    return document.querySelector("dialog[open]") !== null; // browsers without :modal
  }
}

/** Adds a listener and returns the function that removes it. */
export function listen(target, type, listener, options) {
  target.addEventListener(type, listener, options);
  return () => target.removeEventListener(type, listener, options);
}
