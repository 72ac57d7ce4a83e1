/**
 * A snapshot list of many items of the wrong type (a small hostile file) is read in linear time:
 * each item is an input error at its own pointer, and the list reads as the file missing. The
 * reader's "errors since" deduplicated its pointers by searching a list, quadratic in the number
 * of errors: 80,000 items took minutes.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { inScenarioCopy } from '../chain/scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const REGION = '111111111111/us-east-1';
const N = 100_000;

describe('a list of 100,000 items of the wrong type', () => {
  for (const [file, key] of [
    ['codebuild.json', 'projects'],
    ['events.json', 'Rules'],
  ] as const) {
    it(`${file} \`${key}\`: one error per item, at its pointer`, () => {
      const model = inScenarioCopy(SCENARIO, (dir) => {
        writeFileSync(`${dir}/${REGION}/${file}`, JSON.stringify({ [key]: Array(N).fill(1) }));
        return loadSnapshot(dir);
      });
      const errors = model.problems.filter(
        (p) => p.file === `${REGION}/${file}` && p.severity === 'error',
      );
      expect(errors.length).toBe(N);
      expect(errors[N - 1]!.pointer).toBe(`/${key}/${N - 1}`);
    });
  }
});
