/**
 * Opens the HTML report in headless Chromium (Debian's /usr/bin/chromium) and inspects the
 * rendered page through the DevTools protocol over --remote-debugging-pipe (fd 3 in, fd 4
 * out), so no npm package is needed: rendered rows, drawn edges, computed edge colours, label
 * fit, and that nothing was fetched. Skips with a message when Chromium is not installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { HOSTILE, crossAccountReport, hostileReport } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

class Browser {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<
    number,
    (msg: { result?: unknown; error?: { message: string } }) => void
  >();
  private readonly listeners: ((msg: { method?: string; sessionId?: string }) => void)[] = [];
  private constructor(
    private readonly proc: ChildProcess,
    private readonly input: Writable,
    output: Readable,
  ) {
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\0')) !== -1) {
        const msg = JSON.parse(this.buffer.slice(0, end)) as {
          id?: number;
          method?: string;
          sessionId?: string;
        };
        this.buffer = this.buffer.slice(end + 1);
        if (msg.id !== undefined) {
          this.pending.get(msg.id)?.(msg as { result?: unknown; error?: { message: string } });
          this.pending.delete(msg.id);
        } else {
          for (const l of this.listeners) l(msg);
        }
      }
    });
  }

  static launch(userDataDir: string): Browser {
    const proc = spawn(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${userDataDir}`,
        '--remote-debugging-pipe',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    return new Browser(proc, proc.stdio[3] as Writable, proc.stdio[4] as Readable);
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<unknown> {
    const id = this.nextId++;
    const msg = JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout: ${method}`)), 30_000);
      this.pending.set(id, (m) => {
        clearTimeout(timer);
        if (m.error) reject(new Error(`${method}: ${m.error.message}`));
        else resolve(m.result);
      });
      this.input.write(msg + '\0');
    });
  }

  waitFor(method: string, sessionId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout waiting for ${method}`)), 30_000);
      this.listeners.push((m) => {
        if (m.method === method && m.sessionId === sessionId) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  /** Load a file and evaluate an expression in it; returns the JSON value. */
  async evaluate(file: string, expression: string): Promise<unknown> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as {
      targetId: string;
    };
    const { sessionId } = (await this.send('Target.attachToTarget', {
      targetId,
      flatten: true,
    })) as { sessionId: string };
    await this.send('Page.enable', {}, sessionId);
    const loaded = this.waitFor('Page.loadEventFired', sessionId);
    await this.send('Page.navigate', { url: pathToFileURL(file).href }, sessionId);
    await loaded;
    const r = (await this.send(
      'Runtime.evaluate',
      { expression, returnByValue: true },
      sessionId,
    )) as {
      result: { value: unknown };
      exceptionDetails?: unknown;
    };
    if (r.exceptionDetails) throw new Error(JSON.stringify(r.exceptionDetails));
    await this.send('Target.closeTarget', { targetId });
    return r.result.value;
  }

  /** Browser.close lets Chromium end its own child processes; SIGKILL only as a fallback. */
  async close(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.send('Browser.close').catch(() => undefined);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

const INSPECT = `(() => {
  const edges = [...document.querySelectorAll('svg.chain g.edge')];
  const line = (sel) => document.querySelector(sel + ' line');
  const style = (el) => el ? getComputedStyle(el) : null;
  const labelOverflow = [...document.querySelectorAll('svg.chain g.node')].filter((g) => {
    const r = g.querySelector('rect').getBBox();
    const t = g.querySelector('text');
    return t.getBBox().x + t.getComputedTextLength() > r.x + r.width;
  }).length;
  return {
    title: document.title,
    rows: document.querySelectorAll('table.links tbody tr').length,
    deniedRows: document.querySelectorAll('table.links tbody tr.denied').length,
    pipelineRows: document.querySelectorAll('table.pipelines tbody tr').length,
    svgs: [...document.querySelectorAll('svg.chain')].map((s) => s.getBoundingClientRect().width > 0 && s.getBoundingClientRect().height > 0),
    edges: edges.length,
    edgesByStatus: edges.reduce((m, e) => { const k = [...e.classList].find((c) => c.startsWith('edge-')); m[k] = (m[k] || 0) + 1; return m; }, {}),
    deniedStroke: style(line('g.edge-denied'))?.stroke,
    deniedWidth: line('g.edge-denied')?.getBoundingClientRect().width,
    unknownDash: style(line('g.edge-unknown'))?.strokeDasharray,
    allowedDash: style(line('g.edge-allowed'))?.strokeDasharray,
    allowedStroke: style(line('g.edge-allowed'))?.stroke,
    labelOverflow,
    scripts: document.scripts.length,
    resources: performance.getEntriesByType('resource').length,
    firstPrincipal: document.querySelector('table.links tbody tr td:nth-child(3) code')?.textContent,
    codeChildren: document.querySelectorAll('code *').length,
  };
})()`;

describe.skipIf(!hasChromium)('html in headless chromium', () => {
  let dir: string;
  let browser: Browser;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'permchain-html-'));
    browser = Browser.launch(join(dir, 'profile'));
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders the summary, every link row and a graph per pipeline with coloured edges', async () => {
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(crossAccountReport()));
    const r = (await browser.evaluate(file, INSPECT)) as Record<string, unknown>;
    expect(r['title']).toBe('permchain report');
    expect(r['pipelineRows']).toBe(3);
    expect(r['rows']).toBe(13);
    expect(r['deniedRows']).toBe(2);
    expect(r['svgs']).toEqual([true, true, true]);
    expect(r['edges']).toBe(13);
    expect(r['edgesByStatus']).toEqual({
      'edge-allowed': 8,
      'edge-denied': 2,
      'edge-warning': 1,
      'edge-unknown': 2,
    });
    expect(r['deniedStroke']).toBe('rgb(209, 36, 47)');
    expect(r['deniedWidth']).toBeGreaterThan(100);
    expect(r['unknownDash']).toBe('6px, 4px');
    expect(r['allowedDash']).toBe('none');
    expect(r['allowedStroke']).toBe('rgb(87, 96, 106)');
    expect(r['labelOverflow']).toBe(0);
    expect(r['scripts']).toBe(0);
    expect(r['resources']).toBe(0);
  });

  it('shows hostile values as text, never as markup', async () => {
    const file = join(dir, 'hostile.html');
    writeFileSync(file, renderHtml(hostileReport()));
    const r = (await browser.evaluate(file, INSPECT)) as Record<string, unknown>;
    expect(r['rows']).toBe(2);
    expect(r['edges']).toBe(2);
    expect(r['scripts']).toBe(0);
    expect(r['codeChildren']).toBe(0);
    const visible = HOSTILE.replace('\u0001', '\\x01')
      .replace('\u001b', '\\x1b')
      .replace('\r', '\\x0d')
      .replace('\n', '\\x0a')
      .replace('\u2028', '\\u2028')
      .replace('\ud800', '\ufffd');
    expect(r['firstPrincipal']).toBe(`arn:aws:iam::111111111111:role/${visible}`);
  });
});

if (!hasChromium) {
  describe('html in headless chromium', () => {
    it.skip(`${CHROMIUM} is missing: install it (apt-get install -y chromium) to render the html report`, () => {});
  });
}
