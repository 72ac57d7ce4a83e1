import { formatLocation, formatReason, linkSentence } from './summarize.js';
import type { ReportLink } from './types.js';

/**
 * The explanation of a link as `label: value` lines, shared by the junit and html reporters:
 * sentence, deciding reasons, why, missing inputs, fix, blocked stages, declaration, docs.
 */
export function explainLink(link: ReportLink): string[] {
  const lines = [linkSentence(link)];
  link.deniedBy.forEach((r, i) =>
    lines.push(`${i === 0 ? 'decided by' : 'also'}: ${formatReason(r)}`),
  );
  lines.push(`why: ${link.why}`);
  if (link.missing && link.missing.length > 0) {
    lines.push(`${settles(link)}: ${link.missing.join(', ')}`);
  }
  if (link.fix) lines.push(`fix: ${link.fix}`);
  if (link.blocks && link.blocks.length > 0) lines.push(`blocks stages: ${link.blocks.join(', ')}`);
  if (link.declaredAt) lines.push(`declared at: ${formatLocation(link.declaredAt)}`);
  if (link.accepted) {
    lines.push(`accepted by baseline: ${link.accepted.reason} (until ${link.accepted.expires})`);
  }
  if (link.expired) {
    lines.push(
      `expired baseline entry: accepted until ${link.expired.expires} (${link.expired.reason}); ` +
        'it has expired, so the link fails the run',
    );
  }
  if (link.level === 'recommended') lines.push('level: recommended (a warning, not a failure)');
  if (link.doc) lines.push(`docs: ${link.doc}`);
  lines.push(`link: ${link.id} [${link.requirement}]`);
  return lines;
}

/** What a link's `missing` inputs would settle: the link, or (denied) whether a deny applies. */
export function settles(link: ReportLink): string {
  return link.decision === 'Unknown'
    ? 'missing input that would settle it'
    : 'missing input that would settle whether a deny applies';
}
