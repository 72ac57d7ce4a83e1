import { describe, expect, it } from 'vitest';
import { renderJsonBodies, renderJsonChunks } from '../../src/report/json.js';
import { stableJson } from '../../src/report/stableJson.js';
import type { Report } from '../../src/report/types.js';
import { crossAccountReport, hostileReport, largeReport } from './fixtures.js';

describe('renderJsonChunks', () => {
  it('writes exactly the bytes of the whole-report JSON, one pipeline (and its separator) at a time', () => {
    const empty: Report = { pipelines: [], problems: [] };
    for (const report of [crossAccountReport(), hostileReport(), largeReport(5, 7), empty]) {
      const chunks = [...renderJsonChunks(report)];
      expect(chunks.join('')).toBe(stableJson(report));
      // the opening, each pipeline's text and the separator after it, the problems and the end
      if (report.pipelines.length > 0) expect(chunks.length).toBe(2 * report.pipelines.length + 2);
    }
  });
  it('keeps problems with their pointers', () => {
    const report: Report = {
      pipelines: crossAccountReport().pipelines,
      problems: [
        {
          file: 'a/iam.json',
          pointer: '/RoleDetailList/0',
          message: 'bad',
          id: 'x.y',
          severity: 'error',
        },
      ],
    };
    expect([...renderJsonChunks(report)].join('')).toBe(stableJson(report));
  });
});

describe('renderJsonBodies', () => {
  it('a reader that stops early closes the bodies it reads (the threads of analyze --jobs stop)', () => {
    let closed = false;
    function* bodies(): Generator<string> {
      try {
        for (;;) yield '    {}';
      } finally {
        closed = true;
      }
    }
    const chunks = renderJsonBodies(bodies(), []);
    // the opening and the first pipeline are written; the write of the next chunk fails
    chunks.next();
    chunks.next();
    chunks.return(undefined);
    expect(closed).toBe(true);
  });
});
