/**
 * `permchain crawl` end to end: the command writes the snapshot atomically into --out, prints the
 * summary on stdout and warnings on stderr, draws progress only on a TTY, takes credentials from
 * the SDK default chain (environment, --profile), and `analyze` gives the same report on the
 * crawled folder as on the fixture.
 */
import { Command, CommanderError } from 'commander';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerCrawl, type CrawlCommandDeps } from '../../src/cli/crawl.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { FAKE_CALLER, FAKE_CALLER_KEY, startFakeAws, type FakeAws, type Fault } from './fakeAws.js';
import { FIXTURE, readSnapshot, TEMPLATE } from './helpers.js';

let fake: FakeAws | undefined;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'permchain-crawl-'));
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function runCrawl(args: string[], deps: CrawlCommandDeps = {}) {
  const io = memoryIo(dir);
  let code = 0;
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  registerCrawl(program, io, (c) => (code = c), deps);
  try {
    await program.parseAsync(['node', 'permchain', 'crawl', ...args]);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    code = err.exitCode === 0 ? 0 : 2;
  }
  return { code, out: io.out, err: io.err };
}

async function serve(faults: Fault[] = [], callers?: Record<string, typeof FAKE_CALLER>) {
  fake = await startFakeAws({ fixture: FIXTURE, faults, ...(callers ? { callers } : {}) });
  return {
    clientSettings: {
      endpoint: fake.endpoint,
      credentials: { accessKeyId: FAKE_CALLER_KEY, secretAccessKey: 'fake' },
    },
  };
}

function allFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const f = join(d, n);
      if (statSync(f).isDirectory()) walk(f);
      else out.push(f.slice(root.length + 1));
    }
  };
  walk(root);
  return out.sort();
}

describe('permchain crawl', () => {
  it('writes the snapshot into --out and prints a summary', async () => {
    const deps = { ...(await serve()), stderrIsTTY: false };
    const r = await runCrawl(
      ['--out', 'snap', '--region', 'us-east-1', '--assume-role', TEMPLATE],
      deps,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readSnapshot(join(dir, 'snap'))).toEqual(readSnapshot(FIXTURE));
    // atomic writes leave no temporary file behind
    expect(allFiles(join(dir, 'snap')).filter((f) => f.includes('permchain-tmp'))).toEqual([]);
    expect(r.out).toBe(
      'wrote 23 files to snap\n' +
        '  caller: arn:aws:iam::111111111111:user/auditor\n' +
        '  accounts: 111111111111, 222222222222\n' +
        '  regions: us-east-1\n' +
        '  pipelines: 111111111111/us-east-1/webapp\n' +
        'everything referenced was read\n',
    );
  });

  it('lists what could not be read, with the call and the permission that would allow it', async () => {
    const deps = {
      ...(await serve([
        {
          service: 's3',
          operation: 'GetBucketPolicy',
          kind: 'access-denied',
          when: (r) => r.params['Bucket'] === 'tooling-artifacts-111111111111',
        },
      ])),
      stderrIsTTY: false,
    };
    const r = await runCrawl(
      ['--out', 'snap', '--region', 'us-east-1', '--assume-role', TEMPLATE],
      deps,
    );
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      'warning: GetBucketPolicy failed for bucket `tooling-artifacts-111111111111` in account ' +
        '`111111111111` (us-east-1): AccessDenied: Access Denied [crawl.access-denied]\n',
    );
    expect(r.out).toContain(
      'could not read 1 item (unknown in the snapshot):\n' +
        '  - bucket `tooling-artifacts-111111111111` in account `111111111111` (us-east-1): ' +
        'GetBucketPolicy: access denied (AccessDenied); allowed by `s3:GetBucketPolicy`\n',
    );
    expect(allFiles(join(dir, 'snap'))).not.toContain(
      '111111111111/s3/tooling-artifacts-111111111111.json',
    );
  });

  it('draws a progress line on stderr only when stderr is a TTY', async () => {
    const deps = { ...(await serve()), stderrIsTTY: true };
    const r = await runCrawl(
      ['--out', 'snap', '--region', 'us-east-1', '--assume-role', TEMPLATE],
      deps,
    );
    expect(r.code).toBe(0);
    expect(r.err.startsWith('\r\x1b[Kcrawl: ')).toBe(true);
    expect(r.err).toMatch(/crawl: \d+ calls done, \d+ in flight, 0 could not be read/);
    expect(r.err.endsWith('\r\x1b[K')).toBe(true);
  });

  it('refuses a --out that is not empty before any AWS call, naming what it holds', async () => {
    const deps = { ...(await serve()), stderrIsTTY: false };
    const args = ['--out', 'snap', '--region', 'us-east-1', '--assume-role', TEMPLATE];
    expect((await runCrawl(args, deps)).code).toBe(0);
    writeFileSync(join(dir, 'snap', 'notes.json'), '{}');
    const before = readSnapshot(join(dir, 'snap'));
    // no endpoint at all: the refusal must come before the first call
    const r = await runCrawl(args, {
      stderrIsTTY: false,
      clientSettings: { ...deps.clientSettings, endpoint: 'http://127.0.0.1:9' },
    });
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "error: `snap` is not empty (it holds `111111111111`, `222222222222`, `notes.json`, and 1 more): crawl into a new or empty folder, since a file this crawl cannot read is not written and an earlier crawl's copy would be read as current; or pass --merge to write over it and keep the files it does not write\n",
    );
    expect(readSnapshot(join(dir, 'snap'))).toEqual(before);
  });

  it('with --merge, overwrites an earlier snapshot in place and keeps files it did not produce', async () => {
    const deps = { ...(await serve()), stderrIsTTY: false };
    const args = ['--out', 'snap', '--region', 'us-east-1', '--assume-role', TEMPLATE];
    await runCrawl(args, deps);
    writeFileSync(join(dir, 'snap', '111111111111', 'iam.json'), '{"truncated');
    writeFileSync(join(dir, 'snap', 'notes.json'), '{}');
    const r = await runCrawl([...args, '--merge'], deps);
    expect(r.code).toBe(0);
    expect(readSnapshot(join(dir, 'snap'))).toEqual({ ...readSnapshot(FIXTURE), 'notes.json': {} });
  });

  it('rejects --accounts together with --organization, and bad values, with exit 2', async () => {
    const deps = { ...(await serve()), stderrIsTTY: false };
    const both = await runCrawl(
      ['--out', 'snap', '--accounts', '111111111111', '--organization'],
      deps,
    );
    expect(both.code).toBe(2);
    expect(both.err).toContain(
      "option '--accounts <ids>' cannot be used with option '--organization'",
    );
    const bad = await runCrawl(['--out', 'snap', '--accounts', '1234'], deps);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('error: invalid account id `1234` (expected 12 digits)\n');
    const template = await runCrawl(
      ['--out', 'snap', '--assume-role', 'arn:aws:iam::1:role/x'],
      deps,
    );
    expect(template.code).toBe(2);
    expect(template.err).toContain('has no `{account}`');
    const region = await runCrawl(['--out', 'snap', '--region', 'mars'], deps);
    expect(region.err).toBe('error: invalid region `mars`\n');
    expect(allFiles(dir)).toEqual([]);
  });

  it('exits 2 when --out cannot be written', async () => {
    // a file where the crawl makes an account folder: found only when writing
    mkdirSync(join(dir, 'snap'));
    writeFileSync(join(dir, 'snap', '111111111111'), 'a file, not a folder');
    const deps = { ...(await serve()), stderrIsTTY: false };
    const r = await runCrawl(
      ['--out', 'snap', '--region', 'us-east-1', '--assume-role', TEMPLATE, '--merge'],
      deps,
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: could not write the snapshot to `snap`: /);
  });

  it.each([
    [
      'an empty --out (it was read as the current folder)',
      () => '',
      '--out needs a folder name, not an empty value',
    ],
    [
      'an --out that is a file',
      () => {
        writeFileSync(join(dir, 'taken'), 'a file, not a folder');
        return 'taken';
      },
      '--out `taken` is not a folder (it is a file)',
    ],
    [
      'an --out that is a symbolic link to nothing',
      () => {
        symlinkSync(join(dir, 'gone'), join(dir, 'dangling'));
        return 'dangling';
      },
      '--out `dangling` is a symbolic link whose target does not exist, not a folder',
    ],
    [
      'an --out under a file',
      () => {
        writeFileSync(join(dir, 'taken'), 'a file, not a folder');
        return 'taken/snap';
      },
      '<dir>/taken/snap: a part of the path is not a folder',
    ],
  ])('refuses %s before any AWS call', async (_name, make, message) => {
    const deps = { ...(await serve()), stderrIsTTY: false };
    const out = make();
    const listing = () => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
    const before = listing();
    for (const merge of [[], ['--merge']]) {
      const r = await runCrawl(
        ['--out', out, '--region', 'us-east-1', '--assume-role', TEMPLATE, ...merge],
        deps,
      );
      expect(r).toEqual({ code: 2, out: '', err: `error: ${message.replace('<dir>', dir)}\n` });
    }
    expect(fake!.requests).toEqual([]);
    expect(listing()).toEqual(before);
  });

  it('exits 2 when the credentials do not work', async () => {
    const deps = await serve([], {});
    const r = await runCrawl(['--out', 'snap', '--region', 'us-east-1'], {
      ...deps,
      stderrIsTTY: false,
    });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: could not resolve AWS credentials: InvalidClientTokenId/);
  });
});

describe('credentials from the SDK default chain', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  function isolateEnv(): void {
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    process.env['AWS_CONFIG_FILE'] = join(dir, 'aws-config');
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, 'aws-credentials');
    process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
    writeFileSync(join(dir, 'aws-config'), '');
    writeFileSync(join(dir, 'aws-credentials'), '');
    if (fake) process.env['AWS_ENDPOINT_URL'] = fake.endpoint;
  }

  it('reads environment credentials and region', async () => {
    fake = await startFakeAws({ fixture: FIXTURE });
    isolateEnv();
    process.env['AWS_ACCESS_KEY_ID'] = FAKE_CALLER_KEY;
    process.env['AWS_SECRET_ACCESS_KEY'] = 'fake';
    process.env['AWS_REGION'] = 'us-east-1';
    const r = await runCrawl(['--out', 'snap', '--assume-role', TEMPLATE], { stderrIsTTY: false });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readSnapshot(join(dir, 'snap'))).toEqual(readSnapshot(FIXTURE));
  });

  it('uses --profile from the shared config files', async () => {
    const profileKey = 'AKIAFAKEPROFILE00001';
    fake = await startFakeAws({
      fixture: FIXTURE,
      callers: {
        [FAKE_CALLER_KEY]: FAKE_CALLER,
        [profileKey]: {
          account: '111111111111',
          arn: 'arn:aws:iam::111111111111:user/profile-auditor',
        },
      },
    });
    isolateEnv();
    // environment keys are ignored when a profile is named
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIAWRONGENVKEY00001';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'wrong';
    writeFileSync(join(dir, 'aws-config'), '[profile audit]\nregion = us-east-1\n');
    writeFileSync(
      join(dir, 'aws-credentials'),
      `[audit]\naws_access_key_id = ${profileKey}\naws_secret_access_key = fake\n`,
    );
    const r = await runCrawl(['--out', 'snap', '--profile', 'audit', '--assume-role', TEMPLATE], {
      stderrIsTTY: false,
    });
    expect(r.err).toBe('');
    expect(r.out).toContain('caller: arn:aws:iam::111111111111:user/profile-auditor\n');
    expect(r.out).toContain('regions: us-east-1\n');
    expect(readSnapshot(join(dir, 'snap'))).toEqual(readSnapshot(FIXTURE));
  });
});

describe('through main', () => {
  it('`permchain crawl --help` documents every option', async () => {
    const io = memoryIo();
    expect(await main(['node', 'permchain', 'crawl', '--help'], io)).toBe(0);
    for (const flag of [
      '--out <dir>',
      '--profile <name>',
      '--region <region...>',
      '--pipeline <name...>',
      '--assume-role <arn-template>',
      '--accounts <ids>',
      '--organization',
      '--merge',
    ]) {
      expect(io.out).toContain(flag);
    }
    expect(io.out).toContain('policies/crawler-read-only.json');
    expect(io.out).toContain(
      'Exit codes: 0 snapshot written, 2 usage error, unusable credentials or unwritable --out.',
    );
  });

  it('analyze gives the same report on the crawled snapshot as on the fixture', async () => {
    const deps = { ...(await serve()), stderrIsTTY: false };
    const r = await runCrawl(
      ['--out', 'snap', '--region', 'us-east-1', '--assume-role', TEMPLATE],
      deps,
    );
    expect(r.code).toBe(0);
    const analyze = async (input: string) => {
      const io = memoryIo();
      const code = await main(['node', 'permchain', 'analyze', input, '--format', 'json'], io);
      return { code, out: io.out, err: io.err };
    };
    const onFixture = await analyze(FIXTURE);
    const onCrawl = await analyze(join(dir, 'snap'));
    expect(onFixture.code).not.toBe(2);
    expect(onCrawl).toEqual(onFixture);
    expect(JSON.parse(onCrawl.out)).toBeTypeOf('object');
  });
});
