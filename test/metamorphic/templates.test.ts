/**
 * Metamorphic test of template input: the real templates of ../shared/corpus, through the
 * stacks files of fixtures/stacks/, are copied and changed as the snapshot test changes
 * snapshots (a statement removed, a condition removed, `Allow *` or `Deny *` added, statements
 * reversed, action names upper-cased), in the template's own YAML (tags such as `!Sub` kept) or
 * JSON, and every link is checked against the known effect of the change. Skipped when the
 * corpus is not beside the repository.
 *
 * `META_RUNS=N` draws N mutations per stacks file instead of the suite's six.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML, { isMap, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';
import { REPO_ROOT } from '../scenarios/helpers.js';
import { decisions, picker, random, violations, type Relation } from './mutations.js';

const present = existsSync(join(REPO_ROOT, '..', 'shared', 'corpus', 'SOURCES.md'));
const RUNS = Number(process.env['META_RUNS'] ?? 6);
const SEED = Number(process.env['META_SEED'] ?? 20261206);

const STACKS = join(REPO_ROOT, 'fixtures', 'stacks');
const stacksFiles = existsSync(STACKS)
  ? readdirSync(STACKS)
      .sort()
      .flatMap((set) =>
        readdirSync(join(STACKS, set))
          .filter((f) => f.endsWith('.yaml'))
          .sort()
          .map((f) => join(set, f)),
      )
  : [];

const POLICY_MEMBERS = new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'KeyPolicy']);

/** The policy documents of a template: maps under PolicyDocument and the like with a Statement. */
function policies(node: unknown, out: YAMLMap[] = []): YAMLMap[] {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (
        typeof key === 'string' &&
        POLICY_MEMBERS.has(key) &&
        isMap(pair.value) &&
        isSeq(pair.value.get('Statement', true))
      )
        out.push(pair.value);
      else policies(pair.value, out);
    }
  } else if (isSeq(node)) for (const x of node.items) policies(x, out);
  return out;
}

/** One change to one policy of the template; the relation it keeps, or undefined. */
function mutate(
  doc: Document,
  rnd: () => number,
): { relation: Relation; what: string } | undefined {
  const pick = picker(rnd);
  const found = policies(doc.contents);
  if (found.length === 0) return undefined;
  const policy = pick(found);
  const list = policy.get('Statement', true);
  if (!isSeq(list)) return undefined;
  const statements = list.items.filter(isMap);
  const effect = (s: YAMLMap): string => String(s.get('Effect'));
  const sid = (s: YAMLMap): string => JSON.stringify(s.get('Sid') ?? '');
  const kind = pick([
    'dropDeny',
    'dropAllow',
    'dropDenyCondition',
    'dropAllowCondition',
    'addAllow',
    'addDeny',
    'reverse',
    'actionCase',
  ] as const);
  switch (kind) {
    case 'dropDeny':
    case 'dropAllow': {
      const wanted = kind === 'dropDeny' ? 'Deny' : 'Allow';
      const c = statements.filter((s) => effect(s) === wanted);
      if (c.length === 0) return undefined;
      const s = pick(c);
      list.items = list.items.filter((x) => x !== s);
      return {
        relation: wanted === 'Deny' ? 'noNewDeny' : 'noNewAllow',
        what: `${wanted} statement ${sid(s)} removed`,
      };
    }
    case 'dropDenyCondition':
    case 'dropAllowCondition': {
      const wanted = kind === 'dropDenyCondition' ? 'Deny' : 'Allow';
      const c = statements.filter((s) => effect(s) === wanted && s.has('Condition'));
      if (c.length === 0) return undefined;
      const s = pick(c);
      s.delete('Condition');
      // a wider deny allows no more; a wider allow denies no more
      return {
        relation: wanted === 'Deny' ? 'noNewAllow' : 'noNewDeny',
        what: `Condition removed from ${wanted} statement ${sid(s)}`,
      };
    }
    case 'addAllow':
    case 'addDeny': {
      const wanted = kind === 'addDeny' ? 'Deny' : 'Allow';
      const named = statements.some((s) => s.has('Principal'));
      list.items.push(
        doc.createNode({
          Effect: wanted,
          ...(named ? { Principal: '*' } : {}),
          Action: '*',
          Resource: '*',
        }),
      );
      return {
        relation: wanted === 'Deny' ? 'noNewAllow' : 'noNewDeny',
        what: `${wanted} * added`,
      };
    }
    case 'reverse':
      if (list.items.length < 2) return undefined;
      list.items.reverse();
      return { relation: 'same', what: 'statements reversed' };
    case 'actionCase': {
      let n = 0;
      for (const s of statements) {
        const a = s.get('Action', true);
        for (const x of isSeq(a) ? a.items : [a])
          if (isScalar(x) && typeof x.value === 'string') {
            x.value = x.value.toUpperCase();
            n++;
          }
      }
      return n === 0 ? undefined : { relation: 'same', what: 'action names upper-cased' };
    }
  }
}

describe.skipIf(!present)('metamorphic: templates of the corpus', () => {
  stacksFiles.forEach((file, index) => {
    it(`holds on fixtures/stacks/${file}`, async () => {
      const source = join(STACKS, file);
      const before = await decisions(source);
      expect(before.size).toBeGreaterThan(0);
      const text = readFileSync(source, 'utf8');
      const templates = [
        ...new Set(
          [...text.matchAll(/template:\s*(\S+)/g)].map((m) => resolve(dirname(source), m[1]!)),
        ),
      ];
      const rnd = random(SEED + index);
      const work = mkdtempSync(join(tmpdir(), 'permchain-metamorphic-templates-'));
      try {
        let done = 0;
        for (let attempt = 0; done < RUNS && attempt < RUNS * 20; attempt++) {
          const dir = join(work, String(attempt));
          // the templates copied, and a stacks file naming the copies
          const copies = new Map<string, string>();
          templates.forEach((t, k) => copies.set(t, join(dir, `${k}-${basename(t)}`)));
          mkdirSync(dir, { recursive: true });
          for (const [from, to] of copies) copyFileSync(from, to);
          const stacks = join(dir, basename(file));
          writeFileSync(
            stacks,
            text.replace(
              /template:\s*(\S+)/g,
              (_m, p: string) => `template: ${copies.get(resolve(dirname(source), p))!}`,
            ),
          );
          const target = [...copies.values()][Math.floor(rnd() * copies.size)]!;
          const doc = YAML.parseDocument(readFileSync(target, 'utf8'));
          const applied = mutate(doc, rnd);
          if (!applied) continue;
          writeFileSync(
            target,
            target.endsWith('.json') ? JSON.stringify(doc.toJSON(), null, 1) : doc.toString(),
          );
          done++;
          const found = violations(before, await decisions(stacks), applied);
          expect(found, `${file}: ${basename(target)}: ${applied.what}`).toEqual([]);
        }
        expect(done).toBe(RUNS);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  });
});
