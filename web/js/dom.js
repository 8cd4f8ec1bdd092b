// @ts-check
/**
 * Building DOM without markup strings: every element comes from createElement, every piece of text
 * from a text node. Nothing here (or anywhere in the page) assigns innerHTML, and the page's CSP
 * (require-trusted-types-for 'script') makes the browser refuse it if anything tried.
 */

/**
 * @typedef {string | number | boolean | null | undefined | EventListener} AttrValue
 * @typedef {Node | string | null | undefined | false} Child
 */

/**
 * An element with attributes, event listeners (`on:click`) and children (strings become text nodes).
 * `class` sets className; `text` sets textContent; boolean true sets an empty attribute, false/null skips.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttrValue>} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on:')) el.addEventListener(name.slice(3), /** @type {EventListener} */ (value));
    else if (name === 'class') el.className = String(value);
    else if (name === 'text') el.textContent = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/**
 * @param {Node} parent
 * @param {Array<Child | Child[]>} children
 */
export function append(parent, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/** Icon outlines (24×24, stroked), drawn with SVG elements. */
const ICONS = /** @type {const} */ ({
  tool: ['M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18l3 3 6.3-6.3a4 4 0 0 0 5.4-5.4l-2.6 2.6-2.4-.6-.6-2.4z'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  cross: ['M6 6l12 12', 'M18 6L6 18'],
  alert: ['M12 3l10 18H2z', 'M12 10v5', 'M12 18v.5'],
  shield: ['M12 3l8 3v6c0 4.5-3.4 8.2-8 9-4.6-.8-8-4.5-8-9V6z', 'M9 12l2 2 4-4'],
  skip: ['M5 12h14', 'M12 5l7 7-7 7'],
  clock: ['M12 7v5l3 2', 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z'],
  send: ['M4 12l16-8-6 16-2.5-6.5z', 'M11.5 13.5L20 4'],
  stop: ['M7 7h10v10H7z'],
  plus: ['M12 5v14', 'M5 12h14'],
  menu: ['M4 6h16', 'M4 12h16', 'M4 18h16'],
  trash: ['M4 7h16', 'M9 7V4h6v3', 'M6 7l1 13h10l1-13'],
  retry: ['M4 12a8 8 0 1 0 2.3-5.7', 'M4 4v4h4'],
  chat: ['M4 5h16v11H9l-5 4z'],
  key: ['M14 10a4 4 0 1 0-3.2 3.9L13 16h2v2h2v2h3v-3l-6.1-6.1A4 4 0 0 0 14 10z'],
  chevron: ['M9 6l6 6-6 6'],
  arrowDown: ['M12 5v14', 'M6 13l6 6 6-6'],
});

/**
 * @param {keyof typeof ICONS} name
 * @param {string} [cls]
 * @returns {SVGSVGElement}
 */
export function icon(name, cls = '') {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `icon ${cls}`.trim());
  for (const d of ICONS[name]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.appendChild(path);
  }
  return svg;
}

/**
 * @template {Element} [T=HTMLElement]
 * @param {string} id
 * @returns {T}
 */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return /** @type {T} */ (/** @type {unknown} */ (el));
}
