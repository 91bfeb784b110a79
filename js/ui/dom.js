// DOM building for the widget: every string becomes a text node or an attribute value, never
// markup. No innerHTML, insertAdjacentHTML or style attributes anywhere in js/ui (the page's CSP
// blocks inline styles, and message text is untrusted).

/**
 * h('button', { class: 'btn', part: 'button', onclick: fn, text: 'OK' }, child, ...)
 * `text` sets textContent; `on<event>` adds a listener; true/false toggle a boolean attribute;
 * null/undefined are skipped; anything else is set with setAttribute. Children: nodes, strings
 * (as text nodes), arrays of them, or null.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v == null || v === false) continue;
    if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** A decorative inline SVG icon from path data (built with createElementNS, no markup). */
export function icon(d) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}

/**
 * Looks a key up in the texts: a flat dotted key first ({'layer1.title': ...}, the override
 * format), then the nested path ({layer1: {title: ...}}). `{name}` placeholders are filled from
 * vars. An unknown key yields '' so a raw key is never shown.
 */
export function lookup(texts, key, vars) {
  let v = texts?.[key];
  if (typeof v !== 'string') {
    v = texts;
    for (const part of key.split('.')) v = v?.[part];
  }
  if (typeof v !== 'string') return '';
  return vars ? v.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m)) : v;
}
