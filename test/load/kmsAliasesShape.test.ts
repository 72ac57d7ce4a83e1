/**
 * `kms/aliases.json` whose `Aliases` is not a list (a string, an object) or is missing: an error
 * naming the file and `/Aliases` (or the file's top), and the aliases of the region are unknown,
 * as when the file is absent: the model holds no alias map, and a link whose key is named by an
 * alias of that region is Unknown naming the file, never Denied for "no such alias". Bad entries
 * of a list are errors at the entry, and the other aliases are still read.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { resolveKmsKey } from '../../src/model/queries.js';
import type { Model } from '../../src/model/types.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy } from '../chain/scenarioCopy.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PASS = 'fixtures/scenarios/pass-cross-account';
const TOOLS = '111111111111';
const PIPE = `${TOOLS}/us-east-1/codepipeline/orders-api.json`;
const ALIASES = `${TOOLS}/us-east-1/kms/aliases.json`;
const ALIAS = 'alias/orders-artifacts';
const KEY_ID = '7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e';
const GENERATE = 'Source/Source:artifacts.output.kms-generate-data-key:kms:GenerateDataKey';

/**
 * The scenario with the artifact store's key named by its alias (which aliases.json maps to the
 * key), and aliases.json edited by `change`.
 */
function load(change: (aliases: Json) => void): Model {
  return inScenarioCopy(PASS, (dir) => {
    editJson(`${dir}/${PIPE}`, (d) => {
      (d as Json)['pipeline']['artifactStore']['encryptionKey']['id'] =
        `arn:aws:kms:us-east-1:${TOOLS}:${ALIAS}`;
    });
    editJson(`${dir}/${ALIASES}`, (d) => change(d as Json));
    return loadSnapshot(dir);
  });
}

const aliasProblems = (m: Model): string[] =>
  m.problems
    .filter((p) => p.file === ALIASES)
    .map((p) => `${p.severity} ${p.file}#${p.pointer} ${p.id}: ${p.message}`);
const aliasesOf = (m: Model) => m.accounts.get(TOOLS)!.regions.get('us-east-1')!.aliases;
const link = (m: Model, id: string): ReportLink => {
  const found = analyzeModel(m).pipelines[0]!.links.find((l) => l.id === id);
  if (!found) throw new Error(`no link ${id}`);
  return found;
};

describe('kms/aliases.json whose Aliases is not a list', () => {
  it('resolves the alias to its key when the list is as written (control)', () => {
    const model = load(() => undefined);
    expect(aliasProblems(model)).toEqual([]);
    const key = resolveKmsKey(model, TOOLS, 'us-east-1', ALIAS);
    expect(key.kind === 'found' && key.value.keyId).toBe(KEY_ID);
    expect(link(model, GENERATE).decision).toBe('Allowed');
  });

  it.each([
    ['a string', 'oops', 'a string'],
    ['an object', { AliasName: ALIAS, TargetKeyId: KEY_ID }, 'an object'],
  ])('with %s: an error at /Aliases, the aliases unknown, the link Unknown', (_, value, got) => {
    const model = load((d) => {
      d['Aliases'] = value;
    });
    expect(aliasProblems(model)).toEqual([
      `error ${ALIASES}#/Aliases snapshot.shape.invalid: expected an array, got ${got}`,
    ]);
    // unknown, as when the file is absent; not "present, with no aliases"
    expect(aliasesOf(model)).toBeUndefined();
    expect(resolveKmsKey(model, TOOLS, 'us-east-1', ALIAS)).toEqual({
      kind: 'missing',
      file: ALIASES,
    });
    const l = link(model, GENERATE);
    expect(l.decision).toBe('Unknown');
    expect(l.missing).toEqual([ALIASES]);
  });

  it.each([
    ['without Aliases', undefined, '# snapshot.shape.invalid: missing required key `Aliases`'],
    ['with Aliases null', null, '#/Aliases snapshot.shape.invalid: expected an array, got null'],
  ])('%s: an error naming the file, the aliases unknown, the link Unknown', (_, value, problem) => {
    const model = load((d) => {
      if (value === undefined) delete d['Aliases'];
      else d['Aliases'] = value;
    });
    expect(aliasProblems(model)).toEqual([`error ${ALIASES}${problem}`]);
    expect(aliasesOf(model)).toBeUndefined();
    expect(link(model, GENERATE).decision).toBe('Unknown');
  });

  it('reads the other aliases of a list with a bad entry, as before', () => {
    const model = load((d) => {
      (d['Aliases'] as unknown[]).unshift('alias/not-an-object', { AliasArn: 'x' });
    });
    expect(aliasProblems(model)).toEqual([
      `error ${ALIASES}#/Aliases/0 snapshot.shape.invalid: expected an object, got a string`,
      `error ${ALIASES}#/Aliases/1 snapshot.shape.invalid: missing required key \`AliasName\``,
    ]);
    expect(aliasesOf(model)?.has(ALIAS)).toBe(true);
    const key = resolveKmsKey(model, TOOLS, 'us-east-1', ALIAS);
    expect(key.kind === 'found' && key.value.keyId).toBe(KEY_ID);
    // an alias the list does not hold may be the unreadable entry: unknown, not absent
    expect(resolveKmsKey(model, TOOLS, 'us-east-1', 'alias/other')).toEqual({
      kind: 'missing',
      file: `${ALIASES}#/Aliases/0 (not readable), ${ALIASES}#/Aliases/1 (not readable)`,
      note: 'the aliases could not be read in full, so `alias/other` may be one',
    });
    expect(link(model, GENERATE).decision).toBe('Allowed');
  });
});
