import { toWellFormed } from './summarize.js';

/**
 * An absolute http(s) URI that is valid RFC 3986 (the SARIF schema and GitHub check `format:
 * uri`), or undefined. WHATWG URL serialisation leaves some characters RFC 3986 forbids in a
 * path, query or fragment (`|`, backquote, brackets, a stray `%`), so those are encoded too.
 */
export function asUri(s: string): string | undefined {
  let u: URL;
  try {
    u = new URL(toWellFormed(s));
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  const strict = (part: string): string =>
    part.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/g, (c) =>
      encodeURIComponent(c).replace(/[!'()*]/g, (x) => '%' + x.charCodeAt(0).toString(16)),
    );
  const fragment = u.hash === '' ? '' : '#' + strict(u.hash.slice(1));
  return u.origin + strict(u.pathname + u.search) + fragment;
}
