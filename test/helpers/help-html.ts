/**
 * A small, strict reader for the editor help files (nodes/locales/<lang>/<type>.html): parses the
 * one `<script type="text/html" data-help-name="…">` block into an element tree and lists every
 * way it departs from the structure of Node-RED's core node help (a first paragraph that is the
 * palette tooltip; h3 Inputs / Outputs / Details / References; properties in
 * `dl.message-properties` as `<dt>name <span class="property-type">type</span></dt><dd>…</dd>`;
 * outputs as `ol.node-ports`, one `li` per port). No browser needed, so a broken help file fails
 * the node specs too.
 */

export interface HelpElement {
  tag: string;
  attrs: Record<string, string>;
  children: HelpNode[];
}
export type HelpNode = HelpElement | string;

export interface HelpExpectations {
  /** Node type the help is for (its data-help-name). */
  type: string;
  /** Input ports (0 or 1): whether an Inputs section is expected. */
  inputs: number;
  /** Output ports: the number of `li` in `ol.node-ports` (no Outputs section for 0). */
  outputs: number;
}

export const PAPER_URL = 'https://arxiv.org/abs/2512.23146';
const VOID = new Set(['br', 'hr', 'img', 'wbr']);
const ALLOWED = new Set(['p', 'h3', 'h4', 'dl', 'dt', 'dd', 'ol', 'ul', 'li', 'code', 'b', 'i', 'em', 'strong', 'sub', 'sup', 'a', 'span', 'br', 'pre']);
/** A message property path as in the core help: `payload`, `chunk`, `parts.index`. */
const PROPERTY = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
/**
 * The editor sets `white-space: nowrap` on code: a longer span runs past the right edge of the
 * default-width sidebar (≈ 37 monospace characters fit in a property box) and is cut off.
 */
export const MAX_CODE_CHARACTERS = 32;
/** What markdown leaves behind when it is not rendered (or rendered wrongly). */
const MARKDOWN_LEFTOVERS: [RegExp, string][] = [
  [/#{2,}/, 'a markdown heading (##)'], [/\*\*/, 'markdown bold (**)'], [/`/, 'a markdown code span (`)'],
  [/^\s*:\s/m, 'a markdown definition line (": ")'], [/\]\(/, 'a markdown link ](…)'],
];

const isElement = (node: HelpNode): node is HelpElement => typeof node !== 'string';
const classes = (el: HelpElement): string[] => (el.attrs.class ?? '').split(/\s+/).filter(Boolean);
const hasClass = (el: HelpElement, name: string): boolean => classes(el).includes(name);
const elements = (nodes: HelpNode[]): HelpElement[] => nodes.filter(isElement);
const meaningful = (nodes: HelpNode[]): HelpNode[] => nodes.filter((n) => isElement(n) || n.trim() !== '');

/** All text below a node, tags removed, entities left as written. */
export function textOf(node: HelpNode): string {
  return isElement(node) ? node.children.map(textOf).join('') : node;
}

function descendants(node: HelpElement): HelpElement[] {
  return elements(node.children).flatMap((child) => [child, ...descendants(child)]);
}

function parseAttributes(source: string, problems: string[], where: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const pattern = /([^\s=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const m of source.matchAll(pattern)) {
    const name = m[1].toLowerCase();
    if (name in attrs) problems.push(`${where}: attribute ${name} given twice`);
    attrs[name] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return attrs;
}

/** Parses HTML content into a tree; tag structure problems go to `problems`. */
export function parseHelpContent(content: string, problems: string[]): HelpElement {
  const root: HelpElement = { tag: '#root', attrs: {}, children: [] };
  const stack: HelpElement[] = [root];
  const token = /<!--[\s\S]*?-->|<(\/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(\/?)>|<|[^<]+/g;
  let line = 1;
  for (const m of content.matchAll(token)) {
    const where = `line ${line}`;
    line += (m[0].match(/\n/g) ?? []).length;
    const top = stack[stack.length - 1];
    if (m[0].startsWith('<!--')) continue;
    if (m[0] === '<') { problems.push(`${where}: a bare "<" (write &lt;)`); continue; }
    if (m[2] === undefined) { top.children.push(m[0]); continue; }
    const tag = m[2].toLowerCase();
    if (!ALLOWED.has(tag)) problems.push(`${where}: <${tag}> is not used in node help`);
    if (m[1] === '/') {
      if (VOID.has(tag)) continue;
      const open = stack.map((el) => el.tag).lastIndexOf(tag);
      if (open <= 0) { problems.push(`${where}: </${tag}> closes nothing`); continue; }
      if (open !== stack.length - 1) problems.push(`${where}: </${tag}> closes <${top.tag}> too (unclosed)`);
      stack.length = open;
      continue;
    }
    const el: HelpElement = { tag, attrs: parseAttributes(m[3], problems, where), children: [] };
    top.children.push(el);
    if (!VOID.has(tag) && m[4] !== '/') stack.push(el);
  }
  for (const el of stack.slice(1)) problems.push(`<${el.tag}> is never closed`);
  return root;
}

/** Problems of one `dl.message-properties`: dt/dd pairs, each dt a name and a property-type span. */
function checkPropertyList(dl: HelpElement, section: string, propertyNames: boolean, problems: string[]): void {
  const items = meaningful(dl.children);
  if (items.length === 0) problems.push(`${section}: an empty dl.message-properties`);
  items.forEach((item, i) => {
    const expected = i % 2 === 0 ? 'dt' : 'dd';
    if (!isElement(item)) { problems.push(`${section}: text ${JSON.stringify(item.trim().slice(0, 40))} outside dt/dd (falls out of the property box)`); return; }
    if (item.tag !== expected) { problems.push(`${section}: <${item.tag}> where a <${expected}> belongs in dl.message-properties`); return; }
    if (item.tag === 'dd' && textOf(item).trim() === '') problems.push(`${section}: an empty <dd>`);
    if (item.tag !== 'dt') return;
    const [first, ...rest] = meaningful(item.children);
    const name = typeof first === 'string' ? first.trim() : '';
    if (name === '') { problems.push(`${section}: a <dt> without a name before its type`); return; }
    const spans = elements(rest).filter((el) => el.tag === 'span' && hasClass(el, 'property-type'));
    if (rest.length !== 1 || spans.length !== 1 || textOf(spans[0]).trim() === '') {
      problems.push(`${section}: <dt> "${name}" needs exactly one non-empty <span class="property-type"> after the name`);
    }
    if (propertyNames && !PROPERTY.test(name)) problems.push(`${section}: <dt> "${name}" is not a message property name`);
  });
  if (items.length % 2 === 1) problems.push(`${section}: the last <dt> has no <dd>`);
}

/**
 * Checks one help file's text. Returns the problems found (empty when the file is sound).
 */
export function checkHelpFile(text: string, expect: HelpExpectations): string[] {
  const problems: string[] = [];
  const scripts = [...text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  const outside = text.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  if (outside.trim() !== '') problems.push('text outside the <script> block');
  if (scripts.length !== 1) return [...problems, `expected one <script> block, found ${scripts.length}`];
  const attrs = parseAttributes(scripts[0][1], problems, '<script>');
  if (attrs.type !== 'text/html') problems.push(`<script type="${attrs.type}">: help must be type="text/html" (markdown help does not render property boxes)`);
  if (attrs['data-help-name'] !== expect.type) problems.push(`data-help-name is "${attrs['data-help-name']}", expected "${expect.type}"`);
  const root = parseHelpContent(scripts[0][2], problems);
  const all = textOf(root);
  for (const [pattern, what] of MARKDOWN_LEFTOVERS) if (pattern.test(all)) problems.push(`raw markdown left: ${what}`);
  if (/README|\.md\b/.test(all)) problems.push('refers to a repository file (README, *.md): help must be self-contained');

  const top = meaningful(root.children);
  if (top.some((n) => !isElement(n))) problems.push('text outside any element at the top level');
  const first = top[0];
  if (!first || !isElement(first) || first.tag !== 'p' || textOf(first).trim() === '') problems.push('the help must open with a <p> (the palette tooltip)');

  // sections: the top-level h3 headings and what follows each
  const sections = new Map<string, HelpElement[]>();
  let current: HelpElement[] | null = null;
  for (const node of elements(top)) {
    if (node.tag === 'h3') { current = []; sections.set(textOf(node).trim(), current); } else current?.push(node);
  }
  const wanted = [...(expect.inputs > 0 ? ['Inputs'] : []), ...(expect.outputs > 0 ? ['Outputs'] : []), 'Details', 'References'];
  const found = [...sections.keys()];
  if (found.join('|') !== wanted.join('|')) problems.push(`h3 sections are [${found.join(', ')}], expected [${wanted.join(', ')}]`);

  for (const [section, body] of sections) {
    for (const dl of body.flatMap((el) => [el, ...descendants(el)]).filter((el) => el.tag === 'dl' && hasClass(el, 'message-properties'))) {
      checkPropertyList(dl, section, section === 'Inputs' || section === 'Outputs', problems);
    }
  }
  const inputs = sections.get('Inputs') ?? [];
  if (expect.inputs > 0 && !inputs.some((el) => el.tag === 'dl' && hasClass(el, 'message-properties'))) problems.push('Inputs: no dl.message-properties');
  const outputs = sections.get('Outputs') ?? [];
  const ports = outputs.filter((el) => el.tag === 'ol' && hasClass(el, 'node-ports'));
  if (expect.outputs > 0) {
    if (ports.length !== 1) problems.push(`Outputs: expected one ol.node-ports, found ${ports.length}`);
    else {
      const items = meaningful(ports[0].children);
      if (items.length !== expect.outputs || items.some((li) => !isElement(li) || li.tag !== 'li')) {
        problems.push(`Outputs: ol.node-ports has ${items.length} entries, expected ${expect.outputs} <li> (one per output port)`);
      }
      for (const li of elements(items)) {
        const [label, ...rest] = meaningful(li.children);
        if (typeof label !== 'string' || label.trim() === '') problems.push('Outputs: a port <li> without its name first');
        if (!elements(rest).some((el) => el.tag === 'dl' && hasClass(el, 'message-properties'))) problems.push(`Outputs: port "${textOf(li).trim().split('\n')[0]}" has no dl.message-properties`);
      }
    }
  }
  for (const code of descendants(root).filter((el) => el.tag === 'code')) {
    const text = textOf(code).replace(/&[a-z]+;|&#\d+;/g, 'x');
    if (text.length > MAX_CODE_CHARACTERS) problems.push(`<code> of ${text.length} characters (at most ${MAX_CODE_CHARACTERS}: code does not wrap in the editor): ${text.slice(0, 40)}…`);
  }
  for (const a of descendants(root).filter((el) => el.tag === 'a')) {
    if (!/^https:\/\//.test(a.attrs.href ?? '')) problems.push(`a link without an https:// href: "${textOf(a).trim()}"`);
  }
  const references = (sections.get('References') ?? []).flatMap((el) => [el, ...descendants(el)]);
  if (!references.some((el) => el.tag === 'a' && el.attrs.href === PAPER_URL)) problems.push(`References: no link to the paper (${PAPER_URL})`);
  return problems;
}
