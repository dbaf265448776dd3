// Building elements and finding them: the only DOM helpers the other modules share.

const SVG_TAGS = new Set(["svg", "path", "g", "line", "rect", "text", "tspan", "polyline", "polygon", "circle", "title", "linearGradient", "stop", "defs"]);

/** An element with attributes and children (text children are escaped by the DOM). */
export function h(tag, attrs = {}, ...children) {
  const el = SVG_TAGS.has(tag)
    ? document.createElementNS("http://www.w3.org/2000/svg", tag)
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export const $ = (sel) => document.querySelector(sel);
export const $$ = (sel) => Array.from(document.querySelectorAll(sel));

/** The access token the reader typed (writes need it). */
export const token = () => $("#token").value.trim();
