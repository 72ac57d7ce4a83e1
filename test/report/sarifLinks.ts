/** A reader of SARIF embedded links, for the tests that check none comes from the input. */

/**
 * The embedded links of a plain text message, read by the §3.11.6 grammar: an unescaped `[`,
 * link text in which `\\`, `\[` and `\]` are escapes and `[`, `]` otherwise end it, then `](`,
 * a destination and `)`.
 */
export function embeddedLinks(text: string): string[] {
  const links: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '[') continue;
    let slashes = 0;
    while (text[i - 1 - slashes] === '\\') slashes++;
    if (slashes % 2 === 1) continue; // an escaped bracket
    let j = i + 1;
    while (j < text.length && text[j] !== '[' && text[j] !== ']') {
      j += text[j] === '\\' && '\\[]'.includes(text[j + 1] ?? 'x') ? 2 : 1;
    }
    if (text[j] !== ']' || text[j + 1] !== '(') continue;
    const close = text.indexOf(')', j + 2);
    if (close > j + 2) links.push(text.slice(i, close + 1));
  }
  return links;
}
