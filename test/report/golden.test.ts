/**
 * Golden outputs of every reporter. Regenerate with `UPDATE_GOLDEN=1 npx vitest run test/report`;
 * never edit the files by hand. Also checks that the registry is complete, that reporters are
 * deterministic and that they do not mutate the report (it is deep-frozen).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  FORMAT_EXTENSIONS,
  FORMAT_NAMES,
  REPORTERS,
  isFormatName,
  type FormatName,
  type ReportOptions,
} from '../../src/report/index.js';
import type { Report } from '../../src/report/types.js';
import { crossAccountReport, hostileReport } from './fixtures.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

interface Case {
  readonly name: string;
  readonly report: () => Report;
  readonly format: FormatName;
  readonly options: ReportOptions;
}

const BASE: ReportOptions = { toolVersion: '0.1.0' };
const CASES: Case[] = [
  ...FORMAT_NAMES.map((format) => ({
    name: 'cross-account',
    report: crossAccountReport,
    format,
    options: BASE,
  })),
  ...FORMAT_NAMES.map((format) => ({
    name: 'hostile',
    report: hostileReport,
    format,
    options: BASE,
  })),
  {
    name: 'cross-account-color',
    report: crossAccountReport,
    format: 'text',
    options: { ...BASE, color: true },
  },
  {
    name: 'cross-account-fail-on-unknown',
    report: crossAccountReport,
    format: 'junit',
    options: { ...BASE, failOn: 'unknown' },
  },
  {
    name: 'empty',
    report: () => ({ pipelines: [], problems: [] }),
    format: 'sarif',
    options: BASE,
  },
  { name: 'empty', report: () => ({ pipelines: [], problems: [] }), format: 'text', options: BASE },
];

function goldenFile(c: Case): string {
  return join(GOLDEN_DIR, `${c.name}.${c.format}.${FORMAT_EXTENSIONS[c.format]}`);
}

describe('reporter registry', () => {
  it('registers one function per format name and nothing else', () => {
    expect(Object.keys(REPORTERS).sort()).toEqual([...FORMAT_NAMES].sort());
    for (const f of FORMAT_NAMES) expect(typeof REPORTERS[f]).toBe('function');
    expect(isFormatName('sarif')).toBe(true);
    expect(isFormatName('xml')).toBe(false);
  });

  it('has a golden file for every format and no orphan golden file', () => {
    const expected = new Set(CASES.map((c) => goldenFile(c).slice(GOLDEN_DIR.length + 1)));
    for (const f of FORMAT_NAMES) {
      expect(CASES.some((c) => c.format === f && c.name === 'cross-account')).toBe(true);
    }
    if (!UPDATE) expect(new Set(readdirSync(GOLDEN_DIR))).toEqual(expected);
  });
});

describe.each(CASES)('$name $format', (c) => {
  it('matches its golden file', () => {
    const out = REPORTERS[c.format](deepFreeze(c.report()), c.options);
    const file = goldenFile(c);
    if (UPDATE) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(file, out);
    }
    expect(existsSync(file), `missing golden ${file}: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(out).toBe(readFileSync(file, 'utf8'));
  });

  it('is deterministic and ends with a newline', () => {
    const a = REPORTERS[c.format](c.report(), c.options);
    const b = REPORTERS[c.format](c.report(), c.options);
    expect(a).toBe(b);
    expect(a.endsWith('\n')).toBe(true);
  });
});
