// @ts-check
/**
 * A safe Markdown subset for model output, built with DOM APIs only: paragraphs (single line breaks
 * kept), headings, bullet and numbered lists (nested by indentation), fenced and inline code, block
 * quotes, tables, rules, **bold**, *italic*, ~~strike~~, and links. Any HTML in the text stays text.
 * Links are made only for absolute http(s) URLs, open in a new tab with rel="noopener noreferrer", and
 * show their target as a tooltip; anything else (javascript:, data:, relative paths) is left as text.
 * Images are never loaded: `![alt](url)` becomes a link. The text may be incomplete (streaming): an
 * unclosed fence is code so far, an unclosed `**` is literal.
 */

/**
 * @param {string} raw
 * @returns {URL | undefined}
 */
export function safeUrl(raw) {
  let url;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}

/**
 * @param {string} text
 * @param {URL} url
 */
function link(text, url) {
  const a = document.createElement('a');
  a.href = url.href;
  a.rel = 'noopener noreferrer';
  a.target = '_blank';
  a.title = url.href;
  a.append(...inline(text));
  return a;
}

// Inline tokens, tried in order at each position.
const INLINE = [
  { kind: 'escape', re: /^\\([\\`*_~[\]()#+\-.!|<>])/ },
  { kind: 'code', re: /^(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/ },
  // A target may hold one level of balanced parentheses (as Wikipedia's URLs do).
  { kind: 'image', re: /^!\[([^\]]*)\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))+)>?(?:\s+"[^"]*")?\s*\)/ },
  { kind: 'link', re: /^\[((?:\\.|[^\]\\])+)\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))+)>?(?:\s+"[^"]*")?\s*\)/ },
  { kind: 'autolink', re: /^<(https?:\/\/[^\s<>]+)>/ },
  { kind: 'url', re: /^https?:\/\/[^\s<>"'`]*[^\s<>"'`.,;:!?)\]}*_~]/ },
  { kind: 'strong', re: /^\*\*(?=\S)([\s\S]*?\S)\*\*(?!\*)/ },
  { kind: 'strong', re: /^__(?=\S)([\s\S]*?\S)__(?![_\w])/ },
  { kind: 'strike', re: /^~~(?=\S)([\s\S]*?\S)~~/ },
  { kind: 'em', re: /^\*(?=[^\s*])([\s\S]*?[^\s*])\*(?!\*)/ },
  { kind: 'em', re: /^_(?=[^\s_])([\s\S]*?[^\s_])_(?![_\w])/ },
];

/**
 * Inline Markdown to nodes.
 * @param {string} text
 * @returns {Node[]}
 */
export function inline(text) {
  /** @type {Node[]} */
  const out = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push(document.createTextNode(plain));
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const ch = rest[0];
    // Emphasis with _ only at a word start (snake_case_names stay as they are).
    const wordBefore = i > 0 && /\w/.test(text[i - 1] ?? '');
    let matched = false;
    if (
      ch === '\\' ||
      ch === '`' ||
      ch === '!' ||
      ch === '[' ||
      ch === '<' ||
      ch === 'h' ||
      ch === '*' ||
      ch === '_' ||
      ch === '~'
    ) {
      for (const { kind, re } of INLINE) {
        if (kind === 'em' && ch === '_' && wordBefore) continue;
        if (kind === 'strong' && ch === '_' && wordBefore) continue;
        if (kind === 'url' && wordBefore) continue;
        const m = re.exec(rest);
        if (!m) continue;
        const node = inlineNode(kind, m);
        if (!node) continue;
        flush();
        out.push(node);
        i += m[0].length;
        matched = true;
        break;
      }
    }
    if (!matched) {
      plain += ch;
      i++;
    }
  }
  flush();
  return out;
}

/**
 * @param {string} kind
 * @param {RegExpExecArray} m
 * @returns {Node | undefined}
 */
function inlineNode(kind, m) {
  switch (kind) {
    case 'escape':
      return document.createTextNode(m[1] ?? '');
    case 'code': {
      const code = document.createElement('code');
      const body = m[2] ?? '';
      code.textContent = /^ .* $/.test(body) ? body.slice(1, -1) : body;
      return code;
    }
    case 'image':
    case 'link': {
      const url = safeUrl(m[2] ?? '');
      // Not an http(s) URL: shown as written, so the reader sees where it pointed.
      if (!url) return document.createTextNode(m[0]);
      const label = m[1] || url.href;
      return link(kind === 'image' ? `${label} (image)` : label, url);
    }
    case 'autolink':
    case 'url': {
      const raw = kind === 'url' ? m[0] : (m[1] ?? '');
      const url = safeUrl(raw);
      if (!url) return undefined;
      const a = link('', url);
      a.textContent = raw;
      return a;
    }
    default: {
      const tag = kind === 'strong' ? 'strong' : kind === 'em' ? 'em' : 'del';
      const el = document.createElement(tag);
      el.append(...inline(m[1] ?? ''));
      return el;
    }
  }
}

/**
 * A paragraph's lines, single line breaks kept.
 * @param {string[]} lines
 * @param {keyof HTMLElementTagNameMap} [tag]
 */
function paragraph(lines, tag = 'p') {
  const p = document.createElement(tag);
  lines.forEach((line, n) => {
    if (n > 0) p.appendChild(document.createElement('br'));
    p.append(...inline(line.trim()));
  });
  return p;
}

const FENCE = /^\s{0,3}(```+|~~~+)\s*([\w+#.-]*)\s*$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const TABLE_SEP = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

/**
 * @param {string} line
 * @returns {string[]}
 */
function cells(line) {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  return s.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/**
 * @param {string[]} lines
 * @param {number} start
 * @returns {{ el: HTMLElement, next: number }}
 */
function table(lines, start) {
  const head = cells(lines[start] ?? '');
  const align = cells(lines[start + 1] ?? '').map((c) =>
    c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : '',
  );
  const wrap = document.createElement('div');
  wrap.className = 'md-table';
  const t = document.createElement('table');
  const thead = t.createTHead().insertRow();
  head.forEach((c, n) => {
    const th = document.createElement('th');
    th.scope = 'col';
    if (align[n]) th.className = `align-${align[n]}`;
    th.append(...inline(c));
    thead.appendChild(th);
  });
  const body = t.createTBody();
  let i = start + 2;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.trim() || !line.includes('|')) break;
    const row = body.insertRow();
    const values = cells(line);
    for (let n = 0; n < head.length; n++) {
      const td = row.insertCell();
      if (align[n]) td.className = `align-${align[n]}`;
      td.append(...inline(values[n] ?? ''));
    }
  }
  wrap.appendChild(t);
  return { el: wrap, next: i };
}

/**
 * A list starting at `start`, nested by indentation.
 * @param {string[]} lines
 * @param {number} start
 * @returns {{ el: HTMLElement, next: number }}
 */
function list(lines, start) {
  const first = ITEM.exec(lines[start] ?? '');
  const indent = first?.[1]?.length ?? 0;
  const ordered = /\d/.test(first?.[2] ?? '');
  const el = document.createElement(ordered ? 'ol' : 'ul');
  if (ordered) {
    const n = Number.parseInt(first?.[2] ?? '1', 10);
    if (n !== 1) el.setAttribute('start', String(n));
  }
  /** @type {HTMLLIElement | undefined} */
  let li;
  /** @type {string[]} */
  let text = [];
  const flushText = () => {
    if (li && text.length) li.appendChild(paragraph(text, 'span'));
    text = [];
  };
  let i = start;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const m = ITEM.exec(line);
    if (m) {
      const ind = m[1]?.length ?? 0;
      if (ind < indent) break;
      if (ind > indent && li) {
        flushText();
        const sub = list(lines, i);
        li.appendChild(sub.el);
        i = sub.next;
        continue;
      }
      if (/\d/.test(m[2] ?? '') !== ordered) break;
      flushText();
      li = document.createElement('li');
      el.appendChild(li);
      text = [m[3] ?? ''];
      i++;
      continue;
    }
    if (!line.trim()) {
      // A blank line ends the list unless the next line goes on with it.
      const next = lines[i + 1] ?? '';
      const nm = ITEM.exec(next);
      if (nm && (nm[1]?.length ?? 0) >= indent) {
        i++;
        continue;
      }
      break;
    }
    // A continuation line of the item (indented), else the list is over.
    if (/^\s+/.test(line) && li) {
      text.push(line);
      i++;
      continue;
    }
    break;
  }
  flushText();
  return { el, next: i };
}

/**
 * Markdown text to a fragment of safe DOM.
 * @param {string} source
 * @returns {DocumentFragment}
 */
export function renderMarkdown(source) {
  const frag = document.createDocumentFragment();
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  /** @type {string[]} */
  let para = [];
  const flush = () => {
    if (para.length) frag.appendChild(paragraph(para));
    para = [];
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const marker = fence[1] ?? '```';
      const body = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').trim().startsWith(marker)) body.push(lines[i++]);
      i++;
      const pre = document.createElement('pre');
      const code = document.createElement('code');
      if (fence[2]) {
        code.dataset.lang = fence[2];
        pre.dataset.lang = fence[2];
      }
      code.textContent = body.join('\n');
      pre.appendChild(code);
      frag.appendChild(pre);
      continue;
    }
    if (!line.trim()) {
      flush();
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const level = Math.min(6, (heading[1]?.length ?? 1) + 2);
      const el = document.createElement(/** @type {'h3'} */ (`h${level}`));
      el.append(...inline(heading[2] ?? ''));
      frag.appendChild(el);
      i++;
      continue;
    }
    if (RULE.test(line) && !para.length) {
      frag.appendChild(document.createElement('hr'));
      i++;
      continue;
    }
    if (ITEM.test(line) && (!para.length || /^\s*([-*+]|1[.)])\s/.test(line))) {
      flush();
      const l = list(lines, i);
      frag.appendChild(l.el);
      i = l.next;
      continue;
    }
    if (QUOTE.test(line)) {
      flush();
      const body = [];
      while (i < lines.length && QUOTE.test(lines[i] ?? ''))
        body.push(QUOTE.exec(lines[i++] ?? '')?.[1] ?? '');
      const q = document.createElement('blockquote');
      q.appendChild(renderMarkdown(body.join('\n')));
      frag.appendChild(q);
      continue;
    }
    if (line.includes('|') && TABLE_SEP.test(lines[i + 1] ?? '') && !para.length) {
      const t = table(lines, i);
      frag.appendChild(t.el);
      i = t.next;
      continue;
    }
    para.push(line);
    i++;
  }
  flush();
  return frag;
}
