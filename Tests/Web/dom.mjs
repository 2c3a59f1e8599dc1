// A small stand-in for the browser's DOM, enough for the client's view modules to run
// under `node --test`: elements with attributes, dataset, classes and children; text;
// events that bubble; a selector engine for what the modules query (tag, #id, .class,
// [attr], [attr=value], :modal, descendant and comma lists); forms, inputs and dialogs.
// Layout does not exist: rectangles are what a test sets with `setRect`.
//
// `installDom()` puts `document`, `window` and the element classes on globalThis and
// returns a `restore()` that takes them away again.

class FakeEvent {
  constructor(type, init = {}) {
    Object.assign(this, init);
    this.type = type;
    this.bubbles = init.bubbles ?? false;
    this.defaultPrevented = false;
    this.target = null;
    this.currentTarget = null;
    this.stopped = false;
  }

  preventDefault() {
    this.defaultPrevented = true;
  }

  stopPropagation() {
    this.stopped = true;
  }
}

class EventTargetStub {
  #listeners = new Map();

  addEventListener(type, listener, options) {
    if (!listener) return;
    if (!this.#listeners.has(type)) this.#listeners.set(type, []);
    const once = typeof options === "object" && options?.once;
    this.#listeners.get(type).push({ listener, once });
  }

  removeEventListener(type, listener) {
    const list = this.#listeners.get(type);
    if (!list) return;
    const index = list.findIndex((entry) => entry.listener === listener);
    if (index >= 0) list.splice(index, 1);
  }

  /** Runs this target's listeners for `event`, without bubbling. */
  fire(event) {
    event.currentTarget = this;
    for (const entry of [...(this.#listeners.get(event.type) ?? [])]) {
      if (entry.once) this.removeEventListener(event.type, entry.listener);
      if (typeof entry.listener === "function") entry.listener.call(this, event);
      else entry.listener.handleEvent(event);
    }
  }

  listenerCount(type) {
    return this.#listeners.get(type)?.length ?? 0;
  }

  dispatchEvent(event) {
    event.target ??= this;
    let node = this;
    while (node && !event.stopped) {
      node.fire(event);
      if (!event.bubbles) break;
      node = node.parentNode ?? (node instanceof FakeDocument ? node.defaultView : null);
    }
    return !event.defaultPrevented;
  }
}

class FakeNode extends EventTargetStub {
  constructor(ownerDocument) {
    super();
    this.ownerDocument = ownerDocument;
    this.parentNode = null;
    this.childNodes = [];
  }

  get parentElement() {
    return this.parentNode instanceof FakeElement ? this.parentNode : null;
  }

  get textContent() {
    return this.childNodes.map((child) => child.textContent).join("");
  }

  set textContent(value) {
    this.replaceChildren(...(value === "" || value === null || value === undefined ? [] : [String(value)]));
  }

  #adopt(child) {
    const node = typeof child === "string" || typeof child === "number" ? new FakeText(this.ownerDocument, String(child)) : child;
    if (node.parentNode) node.remove();
    node.parentNode = this;
    return node;
  }

  append(...children) {
    for (const child of children) this.childNodes.push(this.#adopt(child));
  }

  appendChild(child) {
    this.append(child);
    return child;
  }

  prepend(...children) {
    const nodes = children.map((child) => this.#adopt(child));
    this.childNodes.unshift(...nodes);
  }

  insertBefore(child, reference) {
    if (!reference) return this.appendChild(child);
    const node = this.#adopt(child);
    this.childNodes.splice(this.childNodes.indexOf(reference), 0, node);
    return node;
  }

  replaceChildren(...children) {
    for (const child of this.childNodes) child.parentNode = null;
    this.childNodes = [];
    this.append(...children.filter((child) => child !== null && child !== undefined));
  }

  remove() {
    const parent = this.parentNode;
    if (!parent) return;
    parent.childNodes.splice(parent.childNodes.indexOf(this), 1);
    this.parentNode = null;
  }

  before(...nodes) {
    const parent = this.parentNode;
    for (const node of nodes) parent.insertBefore(node, this);
  }

  after(...nodes) {
    const parent = this.parentNode;
    let reference = this.nextSibling;
    for (const node of nodes) {
      parent.insertBefore(node, reference);
      reference = (typeof node === "object" ? node : null)?.nextSibling ?? reference;
    }
  }

  get nextSibling() {
    const siblings = this.parentNode?.childNodes ?? [];
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }

  contains(node) {
    for (let current = node; current; current = current.parentNode) if (current === this) return true;
    return false;
  }

  get children() {
    return this.childNodes.filter((child) => child instanceof FakeElement);
  }

  get firstElementChild() {
    return this.children[0] ?? null;
  }

  get lastElementChild() {
    const children = this.children;
    return children[children.length - 1] ?? null;
  }

  /** Every element below this node, in document order. */
  *descendants() {
    for (const child of this.children) {
      yield child;
      yield* child.descendants();
    }
  }

  /** A NodeList as browsers give it: indexable, iterable, forEach — but no map or find. */
  querySelectorAll(selector) {
    const groups = parseSelectorList(selector);
    return new FakeNodeList([...this.descendants()].filter((element) => groups.some((group) => matchesComplex(element, group, this))));
  }

  querySelector(selector) {
    return this.querySelectorAll(selector)[0] ?? null;
  }

  getElementById(id) {
    return [...this.descendants()].find((element) => element.id === id) ?? null;
  }
}

class FakeNodeList {
  constructor(nodes) {
    nodes.forEach((node, index) => {
      this[index] = node;
    });
    Object.defineProperty(this, "length", { value: nodes.length });
    Object.defineProperty(this, "nodes", { value: nodes });
  }

  item(index) {
    return this.nodes[index] ?? null;
  }

  forEach(callback) {
    this.nodes.forEach((node, index) => callback(node, index, this));
  }

  [Symbol.iterator]() {
    return this.nodes[Symbol.iterator]();
  }
}

class FakeText extends FakeNode {
  constructor(ownerDocument, data) {
    super(ownerDocument);
    this.data = data;
  }

  get textContent() {
    return this.data;
  }

  set textContent(value) {
    this.data = String(value);
  }
}

const camelToData = (key) => `data-${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
const dataToCamel = (name) => name.slice(5).replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());

class FakeElement extends FakeNode {
  constructor(ownerDocument, tagName) {
    super(ownerDocument);
    this.tagName = tagName.toUpperCase();
    this.localName = tagName.toLowerCase();
    this.attributes = new Map();
    this.style = {};
    this.scrollTop = 0;
    this.scrollLeft = 0;
    this.rect = null;
    const element = this;
    this.dataset = new Proxy({}, {
      get: (_, key) => (typeof key === "string" ? element.attributes.get(camelToData(key)) : undefined),
      set: (_, key, value) => {
        element.attributes.set(camelToData(key), String(value));
        return true;
      },
      deleteProperty: (_, key) => {
        element.attributes.delete(camelToData(key));
        return true;
      },
      has: (_, key) => element.attributes.has(camelToData(key)),
      ownKeys: () => [...element.attributes.keys()].filter((name) => name.startsWith("data-")).map(dataToCamel),
      getOwnPropertyDescriptor: (_, key) => (element.attributes.has(camelToData(key))
        ? { enumerable: true, configurable: true, value: element.attributes.get(camelToData(key)) }
        : undefined),
    });
    this.classList = {
      contains: (name) => element.className.split(/\s+/).includes(name),
      add: (...names) => {
        const set = new Set(element.className.split(/\s+/).filter(Boolean));
        for (const name of names) set.add(name);
        element.className = [...set].join(" ");
      },
      remove: (...names) => {
        element.className = element.className.split(/\s+/).filter((name) => name && !names.includes(name)).join(" ");
      },
      toggle: (name, force) => {
        const on = force === undefined ? !element.classList.contains(name) : Boolean(force);
        if (on) element.classList.add(name);
        else element.classList.remove(name);
        return on;
      },
    };
  }

  setAttribute(name, value) {
    this.attributes.set(name.toLowerCase(), String(value));
  }

  getAttribute(name) {
    return this.attributes.get(name.toLowerCase()) ?? null;
  }

  hasAttribute(name) {
    return this.attributes.has(name.toLowerCase());
  }

  removeAttribute(name) {
    this.attributes.delete(name.toLowerCase());
  }

  toggleAttribute(name, force) {
    const on = force === undefined ? !this.hasAttribute(name) : Boolean(force);
    if (on) this.setAttribute(name, "");
    else this.removeAttribute(name);
    return on;
  }

  get id() {
    return this.getAttribute("id") ?? "";
  }

  set id(value) {
    this.setAttribute("id", value);
  }

  get className() {
    return this.getAttribute("class") ?? "";
  }

  set className(value) {
    this.setAttribute("class", value);
  }

  get hidden() {
    return this.hasAttribute("hidden");
  }

  set hidden(value) {
    this.toggleAttribute("hidden", Boolean(value));
  }

  get disabled() {
    return this.hasAttribute("disabled");
  }

  set disabled(value) {
    this.toggleAttribute("disabled", Boolean(value));
  }

  get title() {
    return this.getAttribute("title") ?? "";
  }

  set title(value) {
    this.setAttribute("title", value);
  }

  /** Whether this element and every ancestor are shown (no `hidden`). */
  get shown() {
    for (let node = this; node instanceof FakeElement; node = node.parentNode) if (node.hidden) return false;
    return true;
  }

  matches(selector) {
    return parseSelectorList(selector).some((group) => matchesComplex(this, group, null));
  }

  closest(selector) {
    for (let node = this; node instanceof FakeElement; node = node.parentNode) if (node.matches(selector)) return node;
    return null;
  }

  get nextElementSibling() {
    const siblings = this.parentNode?.children ?? [];
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }

  get previousElementSibling() {
    const siblings = this.parentNode?.children ?? [];
    return siblings[siblings.indexOf(this) - 1] ?? null;
  }

  focus() {
    this.ownerDocument.activeElement = this;
  }

  blur() {
    if (this.ownerDocument.activeElement === this) this.ownerDocument.activeElement = this.ownerDocument.body;
  }

  click() {
    if (this.disabled) return;
    this.dispatchEvent(new FakeEvent("click", { bubbles: true, clientX: 0, clientY: 0 }));
  }

  /** Sets the box that getBoundingClientRect reports (there is no layout here). */
  setRect(rect) {
    this.rect = { ...rect, right: rect.left + rect.width, bottom: rect.top + rect.height, x: rect.left, y: rect.top };
  }

  getBoundingClientRect() {
    return this.rect ?? { left: 0, top: 0, width: 0, height: 0, right: 0, bottom: 0, x: 0, y: 0 };
  }

  getClientRects() {
    return this.shown ? [this.getBoundingClientRect()] : [];
  }

  get clientWidth() {
    return this.getBoundingClientRect().width;
  }

  get clientHeight() {
    return this.getBoundingClientRect().height;
  }

  get scrollWidth() {
    return this.clientWidth;
  }

  get scrollHeight() {
    return this.clientHeight;
  }

  scrollTo() {}

  scrollIntoView() {}

  setPointerCapture() {}

  get isContentEditable() {
    return false;
  }
}

class FakeHTMLElement extends FakeElement {}
class FakeButtonElement extends FakeHTMLElement {
  get type() {
    return this.getAttribute("type") ?? "submit";
  }

  set type(value) {
    this.setAttribute("type", value);
  }

  click() {
    if (this.disabled) return;
    super.click();
    if (this.type === "submit") this.closest("form")?.requestSubmit();
  }
}

class FakeValueElement extends FakeHTMLElement {
  #value = null;

  get value() {
    return this.#value ?? this.getAttribute("value") ?? "";
  }

  set value(value) {
    this.#value = String(value);
  }

  get name() {
    return this.getAttribute("name") ?? "";
  }

  /** Types `text` as a person would: the value changes and `input` fires. */
  type_(text) {
    this.value = text;
    this.dispatchEvent(new FakeEvent("input", { bubbles: true }));
  }
}

class FakeInputElement extends FakeValueElement {
  #checked = null;

  get type() {
    return this.getAttribute("type") ?? "text";
  }

  set type(value) {
    this.setAttribute("type", value);
  }

  get checked() {
    return this.#checked ?? this.hasAttribute("checked");
  }

  set checked(value) {
    this.#checked = Boolean(value);
    if (value && this.type === "radio" && this.name) {
      const form = this.closest("form") ?? this.closest("fieldset") ?? this.ownerDocument;
      for (const other of form.querySelectorAll(`input[name=${this.name}]`)) if (other !== this) other.checked = false;
    }
  }

  click() {
    if (this.disabled) return;
    if (this.type === "radio" || this.type === "checkbox") {
      this.checked = this.type === "radio" ? true : !this.checked;
      super.click();
      this.dispatchEvent(new FakeEvent("change", { bubbles: true }));
      return;
    }
    super.click();
  }
}

class FakeTextAreaElement extends FakeValueElement {}

class FakeSelectElement extends FakeValueElement {
  get value() {
    const chosen = super.value;
    if (chosen !== "" || !this.querySelector("option")) return chosen;
    return this.querySelector("option").getAttribute("value") ?? "";
  }

  set value(value) {
    super.value = value;
  }
}

class FakeFormElement extends FakeHTMLElement {
  requestSubmit() {
    this.dispatchEvent(new FakeEvent("submit", { bubbles: true, cancelable: true }));
  }

  get elements() {
    const named = {};
    for (const input of this.querySelectorAll("input, textarea, select")) {
      if (input.name) named[input.name] = input;
    }
    return named;
  }
}

class FakeDialogElement extends FakeHTMLElement {
  constructor(ownerDocument, tagName) {
    super(ownerDocument, tagName);
    this.returnValue = "";
    this.modal = false;
  }

  get open() {
    return this.hasAttribute("open");
  }

  showModal() {
    this.setAttribute("open", "");
    this.modal = true;
  }

  show() {
    this.setAttribute("open", "");
  }

  close(value) {
    if (!this.open) return;
    if (value !== undefined) this.returnValue = value;
    this.removeAttribute("open");
    this.modal = false;
    this.dispatchEvent(new FakeEvent("close"));
  }
}

class FakeDetailsElement extends FakeHTMLElement {
  get open() {
    return this.hasAttribute("open");
  }

  set open(value) {
    this.toggleAttribute("open", Boolean(value));
  }
}

class FakeCanvasElement extends FakeHTMLElement {
  constructor(ownerDocument, tagName) {
    super(ownerDocument, tagName);
    this.width = 300;
    this.height = 150;
  }

  getContext() {
    return recordingContext();
  }
}

class FakeMediaElement extends FakeHTMLElement {
  constructor(ownerDocument, tagName) {
    super(ownerDocument, tagName);
    this.paused = true;
  }

  pause() {
    this.paused = true;
  }

  play() {
    this.paused = false;
    return Promise.resolve();
  }
}

class FakeImageElement extends FakeHTMLElement {
  get src() {
    return this.getAttribute("src") ?? "";
  }

  set src(value) {
    this.setAttribute("src", value);
  }

  get alt() {
    return this.getAttribute("alt") ?? "";
  }

  set alt(value) {
    this.setAttribute("alt", value);
  }
}

const ELEMENT_CLASSES = {
  button: FakeButtonElement,
  input: FakeInputElement,
  textarea: FakeTextAreaElement,
  select: FakeSelectElement,
  form: FakeFormElement,
  dialog: FakeDialogElement,
  details: FakeDetailsElement,
  canvas: FakeCanvasElement,
  video: FakeMediaElement,
  audio: FakeMediaElement,
  img: FakeImageElement,
};

/** A 2D context that draws nothing and remembers each text it was asked to draw. */
export function recordingContext() {
  const texts = [];
  const noop = () => {};
  return new Proxy({ texts, font: "", measureText: (text) => ({ width: String(text).length * 7 }) }, {
    get: (target, key) => (key in target ? target[key] : key === "fillText" ? (text, x, y) => texts.push({ text, x, y }) : noop),
    set: (target, key, value) => {
      target[key] = value;
      return true;
    },
  });
}

class FakeDocument extends FakeNode {
  constructor() {
    super(null);
    this.ownerDocument = this;
    this.documentElement = this.createElement("html");
    this.body = this.createElement("body");
    this.documentElement.append(this.body);
    this.append(this.documentElement);
    this.activeElement = this.body;
    this.defaultView = null;
    this.hidden = false;
    this.title = "";
  }

  createElement(tag) {
    const Class = ELEMENT_CLASSES[tag.toLowerCase()] ?? FakeHTMLElement;
    return new Class(this, tag);
  }

  createTextNode(text) {
    return new FakeText(this, text);
  }
}

class FakeWindow extends EventTargetStub {
  constructor(document) {
    super();
    this.document = document;
    this.devicePixelRatio = 1;
    this.innerWidth = 1280;
    this.innerHeight = 800;
  }
}

// ---- Selectors ----

const cache = new Map();

function parseSelectorList(list) {
  if (cache.has(list)) return cache.get(list);
  const groups = splitOutside(list, ",").map((group) => splitOutside(group.trim(), " ").filter(Boolean).map(parseCompound));
  cache.set(list, groups);
  return groups;
}

/** Splits on `separator` outside brackets and quotes. */
function splitOutside(text, separator) {
  const parts = [];
  let depth = 0;
  let quote = null;
  let current = "";
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === "\"" || char === "'") {
      quote = char;
    } else if (char === "[") {
      depth++;
    } else if (char === "]") {
      depth--;
    } else if (char === separator && depth === 0) {
      parts.push(current);
      current = "";
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts;
}

function parseCompound(text) {
  const parts = [];
  const pattern = /([a-zA-Z][\w-]*)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:([~^$*|]?=)(?:"([^"]*)"|'([^']*)'|([^\]]*)))?\]|:([\w-]+)/y;
  let index = 0;
  while (index < text.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) throw new Error(`the DOM stand-in cannot read the selector "${text}"`);
    index = pattern.lastIndex;
    if (match[1]) parts.push({ tag: match[1].toUpperCase() });
    else if (match[2]) parts.push({ id: match[2] });
    else if (match[3]) parts.push({ className: match[3] });
    else if (match[4]) parts.push({ attribute: match[4].toLowerCase(), op: match[5], value: match[6] ?? match[7] ?? match[8] });
    else if (match[9]) parts.push({ pseudo: match[9] });
  }
  return parts;
}

function matchesCompound(element, compound) {
  return compound.every((part) => {
    if (part.tag) return element.tagName === part.tag;
    if (part.id) return element.id === part.id;
    if (part.className) return element.classList.contains(part.className);
    if (part.attribute) {
      const value = element.getAttribute(part.attribute);
      if (value === null) return false;
      if (!part.op) return true;
      if (part.op === "=") return value === part.value;
      if (part.op === "^=") return value.startsWith(part.value);
      if (part.op === "~=") return value.split(/\s+/).includes(part.value);
      return false;
    }
    if (part.pseudo === "modal") return element instanceof FakeDialogElement && element.modal;
    if (part.pseudo === "checked") return Boolean(element.checked);
    throw new Error(`the DOM stand-in does not know :${part.pseudo}`);
  });
}

/** Right to left: the last compound matches the element, each earlier one an ancestor below `scope`. */
function matchesComplex(element, compounds, scope) {
  if (!matchesCompound(element, compounds[compounds.length - 1])) return false;
  let node = element.parentNode;
  for (let index = compounds.length - 2; index >= 0; index--) {
    while (node instanceof FakeElement && node !== scope && !matchesCompound(node, compounds[index])) node = node.parentNode;
    if (!(node instanceof FakeElement) || node === scope) return false;
    node = node.parentNode;
  }
  return true;
}

// ---- Installing it ----

/**
 * Puts a fresh document, window and the element classes on globalThis.
 * @param {{narrow?: boolean, finePointer?: boolean}} [options] what matchMedia answers
 */
export function installDom({ narrow = false, finePointer = true } = {}) {
  const document = new FakeDocument();
  const window = new FakeWindow(document);
  document.defaultView = window;
  const media = (query) => {
    let matches = false;
    if (query.includes("max-width")) matches = narrow;
    if (query.includes("pointer: fine")) matches = finePointer;
    if (query.includes("pointer: coarse")) matches = !finePointer;
    const list = new EventTargetStub();
    list.matches = matches;
    list.media = query;
    return list;
  };
  window.matchMedia = media;
  const globals = {
    document,
    window,
    matchMedia: media,
    Event: FakeEvent,
    KeyboardEvent: FakeEvent,
    Node: FakeNode,
    Element: FakeElement,
    HTMLElement: FakeHTMLElement,
    HTMLButtonElement: FakeButtonElement,
    HTMLInputElement: FakeInputElement,
    HTMLTextAreaElement: FakeTextAreaElement,
    HTMLSelectElement: FakeSelectElement,
    HTMLFormElement: FakeFormElement,
    HTMLDialogElement: FakeDialogElement,
    HTMLCanvasElement: FakeCanvasElement,
    confirm: () => true,
    requestAnimationFrame: (callback) => setTimeout(() => callback(performance.now()), 16),
    cancelAnimationFrame: (handle) => clearTimeout(handle),
  };
  const saved = {};
  for (const [key, value] of Object.entries(globals)) {
    saved[key] = Object.getOwnPropertyDescriptor(globalThis, key);
    Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  return {
    document,
    window,
    restore() {
      for (const [key, descriptor] of Object.entries(saved)) {
        if (descriptor) Object.defineProperty(globalThis, key, descriptor);
        else delete globalThis[key];
      }
    },
  };
}

/** A key press on `target` (default: the window), as the browser sends it. */
export function press(target, key, init = {}) {
  const event = new FakeEvent("keydown", { bubbles: true, key, code: init.code ?? (key.length === 1 ? `Key${key.toUpperCase()}` : key), ...init });
  (target ?? globalThis.window).dispatchEvent(event);
  return event;
}

export { FakeEvent };

/**
 * A fresh DOM for every test of a file: pass node:test's hooks. Views pushed on the
 * returned list are disposed after each test, also when it fails (their timers would
 * keep Node running).
 */
export function domPerTest({ beforeEach, afterEach }, options) {
  const attached = [];
  let dom = null;
  beforeEach(() => {
    dom = installDom(options);
  });
  afterEach(() => {
    for (const view of attached.splice(0)) view.dispose();
    dom.restore();
  });
  return attached;
}
