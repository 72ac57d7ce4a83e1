/**
 * A stalled endpoint (a connection accepted and never answered) does not hang the crawl: every
 * SDK client has a connection and a request timeout, a call that times out is recorded as a
 * failure (its file stays unknown) and the crawl goes on.
 *
 * Only the stalled call may time out: with healthy calls in the same crawl (and the fake serving
 * them on the same event loop) the timeout is far above what any call needs on a loaded machine,
 * so the test waits out two such attempts; with no healthy call, short timeouts keep it fast.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { crawl, CrawlError } from '../../src/crawl/crawl.js';
import { FAKE_CALLER_KEY, startFakeAws, type FakeAws } from './fakeAws.js';
import { fixtureWithout, FIXTURE, parseFiles, TEMPLATE } from './helpers.js';

const credentials = { accessKeyId: FAKE_CALLER_KEY, secretAccessKey: 'fake' };
/** a crawl whose every call stalls: nothing to time out by mistake */
const fast = { requestTimeoutMs: 300, connectionTimeoutMs: 300, maxAttempts: 2 };
/** a crawl with healthy calls: a healthy call on a loaded 2-core machine answers well within */
const HEALTHY_MS = 5_000;
const patient = { requestTimeoutMs: HEALTHY_MS, connectionTimeoutMs: HEALTHY_MS, maxAttempts: 2 };

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('a stalled endpoint', () => {
  it('one call never answered: recorded as a TimeoutError failure, everything else is read', async () => {
    fake = await startFakeAws({
      fixture: FIXTURE,
      faults: [{ service: 'sns', operation: 'GetTopicAttributes', kind: 'stall' }],
    });
    const started = Date.now();
    const result = await crawl({
      endpoint: fake.endpoint,
      credentials,
      regions: ['us-east-1'],
      assumeRoleTemplate: TEMPLATE,
      ...patient,
    });
    // two attempts of the stalled call, then the crawl ends: not a hang
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * HEALTHY_MS);
    expect(Date.now() - started).toBeLessThan(2 * HEALTHY_MS + 30_000);
    expect(
      result.failures.map((f) => [f.operation, f.permission, f.subject, f.reason, f.errorCode]),
    ).toEqual([
      [
        'GetTopicAttributes',
        'sns:GetTopicAttributes',
        'SNS topic `arn:aws:sns:us-east-1:111111111111:webapp-approvals`',
        'error',
        'TimeoutError',
      ],
    ]);
    // both attempts were sent, then the crawl went on without the topic
    expect(
      fake.requests.filter((r) => r.service === 'sns' && r.operation === 'GetTopicAttributes'),
    ).toHaveLength(2);
    expect(parseFiles(result.files)).toEqual(
      fixtureWithout('111111111111/us-east-1/sns/webapp-approvals.json'),
    );
  }, 60_000);

  it('a server that accepts connections and never answers: the crawl ends with a CrawlError', async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const started = Date.now();
      await expect(
        crawl({
          endpoint: `http://127.0.0.1:${port}`,
          credentials,
          regions: ['us-east-1'],
          ...fast,
        }),
      ).rejects.toThrow(CrawlError);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 20_000);
});
