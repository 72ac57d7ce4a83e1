/**
 * Placeholders: the values the loaders put where the input does not settle one (a template value
 * under an unknown condition, a snapshot field that could not be read). They live in the account
 * `unresolved`, which no model holds, so every lookup of one is `missing` (unknown), never
 * `absent`; `model.unresolved` maps each to the place that would settle it.
 */
import { createHash } from 'node:crypto';

export type PlaceholderKind = 'role' | 'bucket' | 'key' | 'policy' | 'name';

/** The placeholder of `kind` for the place described by `seed` (stable across runs). */
export function placeholderOf(
  kind: PlaceholderKind,
  seed: string,
  partition: string,
  region: string,
): string {
  const id = createHash('sha256').update(seed).digest('hex').slice(0, 10);
  switch (kind) {
    case 'role':
      return `arn:${partition}:iam::unresolved:role/unresolved-${id}`;
    case 'policy':
      return `arn:${partition}:iam::unresolved:policy/unresolved-${id}`;
    case 'key':
      return `arn:${partition}:kms:${region}:unresolved:key/unresolved-${id}`;
    case 'bucket':
    case 'name':
      return `unresolved-${id}`;
  }
}

/** A placeholder inside a value (an ARN or a name built from one). */
export const PLACEHOLDER_PATTERN = /unresolved-[0-9a-f]{10}/;

/** The value is a placeholder of kind `name` or `bucket` itself, not a value built from one. */
export function isPlaceholder(value: string): boolean {
  return value.length === 21 && value.startsWith('unresolved-') && PLACEHOLDER_PATTERN.test(value);
}

/** `file:line (reason)`, or `file#pointer (reason)` where the line is not known. */
export function unsettledText(
  at: { readonly file: string; readonly pointer: string; readonly line?: number },
  reason: string,
): string {
  return `${at.line !== undefined ? `${at.file}:${at.line}` : `${at.file}#${at.pointer}`} (${reason})`;
}
