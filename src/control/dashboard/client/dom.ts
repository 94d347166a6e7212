/**
 * @module The page's DOM helpers (served as /dashboard/dom.js): elements built
 * with text nodes only, so nothing the API answers is ever parsed as markup.
 */

export const DOM_JS = String.raw`
export const SVG_NS = "http://www.w3.org/2000/svg";

function fill(node, attributes, children) {
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An HTML element: h("td", { class: "num" }, "12"). Strings become text nodes. */
export function h(tag, attributes, ...children) {
  return fill(document.createElement(tag), attributes, children);
}

/** An SVG element, as h. */
export function svg(tag, attributes, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attributes, children);
}

/** A table row of cells: a string or number is a cell's text, numbers right-aligned. */
export function row(cells) {
  return h("tr", null, cells.map((cell, index) => {
    if (index === 0) return h("th", { scope: "row" }, cell);
    return h("td", typeof cell === "number" || (cell && cell.numeric) ? { class: "num" } : null, cell && cell.numeric ? cell.text : cell);
  }));
}

/** A number shown right-aligned, as text. */
export function numeric(text) {
  return { numeric: true, text };
}
`;
