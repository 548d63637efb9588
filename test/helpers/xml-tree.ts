/** An element of a parsed XML (or XHTML-shaped) fragment. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: (XmlElement | string)[];
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_][\w.:-]*/;
const ATTRIBUTE = /^\s+([A-Za-z_][\w.:-]*)="([^"<]*)"/;

/** Replaces XML's character references; throws on a bare `&` or an unknown entity. */
function decode(text: string): string {
  return text.replace(/&([^;\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Error(`A bare & in "${text}"`);
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    const known = ENTITIES[ref];
    if (known === undefined) throw new Error(`Unknown entity &${ref};`);
    return known;
  });
}

type OpenElement = { name: string; attributes: Record<string, string>; children: (XmlElement | string)[] };

/** Reads `<name a="1" …>` or `<name …/>` at the start of `source`. */
function readOpenTag(source: string): { element: OpenElement; rest: string; selfClosing: boolean } {
  const name = NAME.exec(source.slice(1))?.[0];
  if (name === undefined) throw new Error(`A bad tag near ${source.slice(0, 40)}`);
  let rest = source.slice(1 + name.length);
  const element: OpenElement = { name, attributes: {}, children: [] };
  for (let match = ATTRIBUTE.exec(rest); match !== null; match = ATTRIBUTE.exec(rest)) {
    const [whole, key = '', value = ''] = match;
    if (key in element.attributes) throw new Error(`Attribute ${key} twice on <${name}>`);
    element.attributes[key] = decode(value);
    rest = rest.slice(whole.length);
  }
  rest = rest.trimStart();
  if (rest.startsWith('/>')) return { element, rest: rest.slice(2), selfClosing: true };
  if (rest.startsWith('>')) return { element, rest: rest.slice(1), selfClosing: false };
  throw new Error(`A bad tag <${name} near ${rest.slice(0, 40)}`);
}

/**
 * Parses one element strictly as XML (no DTD, comments or processing instructions): every tag closed
 * and nested, attributes quoted once each, no raw `<` or `&` in text. Throws on anything else.
 */
export function parseXml(source: string): XmlElement {
  let rest = source.trim();
  const stack: OpenElement[] = [];
  let root: XmlElement | undefined;
  while (rest.length > 0) {
    if (root !== undefined) throw new Error(`Content after the root element: ${rest.slice(0, 40)}`);
    const lt = rest.indexOf('<');
    if (lt !== 0) {
      const text = lt < 0 ? rest : rest.slice(0, lt);
      const parent = stack.at(-1);
      if (parent === undefined) throw new Error(`Text outside the root: ${text.slice(0, 40)}`);
      parent.children.push(decode(text));
      rest = lt < 0 ? '' : rest.slice(lt);
      continue;
    }
    if (rest.startsWith('</')) {
      const name = NAME.exec(rest.slice(2))?.[0];
      const open = stack.pop();
      if (name === undefined || open === undefined || open.name !== name || rest[2 + name.length] !== '>') {
        throw new Error(`Mismatched close tag near ${rest.slice(0, 40)}`);
      }
      rest = rest.slice(3 + name.length);
      const parent = stack.at(-1);
      if (parent === undefined) root = open;
      else parent.children.push(open);
      continue;
    }
    const open = readOpenTag(rest);
    rest = open.rest;
    if (!open.selfClosing) stack.push(open.element);
    else {
      const parent = stack.at(-1);
      if (parent === undefined) root = open.element;
      else parent.children.push(open.element);
    }
  }
  if (root === undefined || stack.length > 0) throw new Error('The element is not closed');
  return root;
}

/** Every element under `root` (itself included) named `name`, in document order. */
export function elementsNamed(root: XmlElement, name: string): XmlElement[] {
  const found = root.name === name ? [root] : [];
  for (const child of root.children) if (typeof child !== 'string') found.push(...elementsNamed(child, name));
  return found;
}

/** The text inside an element, its descendants' included. */
export function textOf(element: XmlElement): string {
  return element.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
