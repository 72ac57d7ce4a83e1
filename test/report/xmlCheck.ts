/**
 * A small, strict XML 1.0 well-formedness checker for the junit tests (no XML parser is
 * installed): elements must nest, attributes must be quoted and unique, only the five
 * predefined entities and character references are allowed, and no character outside XML's
 * Char production may appear. Returns the element tree with decoded attribute values and text.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

function decode(raw: string, where: string): string {
  if (/<|]]>/.test(raw) && where === 'text')
    throw new Error(`raw markup in text: ${JSON.stringify(raw)}`);
  return raw.replace(/&([^;]*);|&/g, (_m, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare & in ${where}`);
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const e = ENTITIES[ref];
    if (e === undefined) throw new Error(`unknown entity &${ref};`);
    return e;
  });
}

export function parseXml(xml: string): XmlElement {
  // XML 1.0 Char production: https://www.w3.org/TR/xml/#charsets
  const bad =
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(
      xml,
    );
  if (bad)
    throw new Error(`invalid XML character U+${bad[0].charCodeAt(0).toString(16)} at ${bad.index}`);
  let i = 0;
  if (xml.startsWith('<?xml')) {
    i = xml.indexOf('?>') + 2;
  }
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? xml.length : lt;
    const top = stack[stack.length - 1]!;
    top.text += decode(xml.slice(i, textEnd), 'text');
    if (lt === -1) break;
    i = lt + 1;
    if (xml[i] === '/') {
      const m = NAME.exec(xml.slice(i + 1));
      if (!m) throw new Error(`bad end tag at ${i}`);
      const el = stack.pop();
      if (!el || el.name !== m[0])
        throw new Error(`mismatched end tag </${m[0]}> for <${el?.name}>`);
      i += 1 + m[0].length;
      while (/\s/.test(xml[i] ?? '')) i++;
      if (xml[i] !== '>') throw new Error(`bad end tag at ${i}`);
      i++;
      continue;
    }
    const m = NAME.exec(xml.slice(i));
    if (!m) throw new Error(`bad start tag at ${i}: ${JSON.stringify(xml.slice(i, i + 20))}`);
    i += m[0].length;
    const attrs: Record<string, string> = {};
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))![0];
      i += ws.length;
      if (xml.startsWith('/>', i) || xml[i] === '>') break;
      if (ws === '') throw new Error(`missing space before attribute at ${i}`);
      const a = /^([A-Za-z_:][-A-Za-z0-9_:.]*)="([^"<]*)"/.exec(xml.slice(i));
      if (!a) throw new Error(`bad attribute at ${i}: ${JSON.stringify(xml.slice(i, i + 30))}`);
      if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
      // attribute-value normalisation: literal tab/CR/LF become spaces
      attrs[a[1]!] = decode(a[2]!.replace(/[\t\r\n]/g, ' '), 'attribute');
      i += a[0].length;
    }
    const el: XmlElement = { name: m[0], attrs, children: [], text: '' };
    stack[stack.length - 1]!.children.push(el);
    if (xml.startsWith('/>', i)) {
      i += 2;
    } else {
      i += 1;
      stack.push(el);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new Error('expected exactly one root element');
  if (root.text.trim() !== '') throw new Error('text outside the root element');
  return root.children[0]!;
}

export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (e.name === name) out.push(e);
    e.children.forEach(walk);
  };
  walk(el);
  return out;
}
