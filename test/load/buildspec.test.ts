/**
 * Reading a CodeBuild buildspec's `env.parameter-store` and `env.secrets-manager` (variable →
 * parameter name or ARN; variable → `secret-id:json-key:version-stage:version-id`)
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.parameter-store,
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.secrets-manager),
 * and nothing else of it.
 */
import { Alias, Parser } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import {
  buildspecDeclaresArtifacts,
  buildspecReferences,
  buildspecSecondaryArtifacts,
  namesBuildspec,
  plainArtifactName,
  readJsonSections,
  readYamlSections,
  reduceBuildspec,
  REDACTION_MARKER,
  secretIdOf,
} from '../../src/model/buildspec.js';
import { mulberry32 as random, picker } from '../differential/generator.js';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:222222222222:secret:shared/db-AbCdEf';

describe('buildspecReferences', () => {
  it('reads parameter names and ARNs, and secret ids of every form', () => {
    const text = [
      'version: 0.2',
      'env:',
      '  shell: bash',
      '  variables:',
      '    PLAIN: "not-a-reference"',
      '  parameter-store:',
      '    DB_PASSWORD: /app/db-password',
      '    FLAGS: app-flags',
      '    SHARED: arn:aws:ssm:us-east-1:222222222222:parameter/shared/x',
      '  secrets-manager:',
      '    TOKEN: npm-token',
      '    USER: db-creds:username',
      '    PASS: db-creds:password:AWSCURRENT',
      '    OLD: "db-creds::AWSPREVIOUS:"',
      `    CROSS: "${SECRET_ARN}:password::"`,
      `    WHOLE: ${SECRET_ARN}`,
      '    PARTIAL: "arn:aws:secretsmanager:us-east-1:222222222222:secret:shared/api:key::"',
      'phases:',
      '  build:',
      '    commands:',
      '      - echo hunter2',
    ].join('\n');
    expect(buildspecReferences(text)).toEqual({
      ok: true,
      parameters: [
        '/app/db-password',
        'app-flags',
        'arn:aws:ssm:us-east-1:222222222222:parameter/shared/x',
      ],
      secrets: [
        'arn:aws:secretsmanager:us-east-1:222222222222:secret:shared/api',
        SECRET_ARN,
        'db-creds',
        'npm-token',
      ],
    });
  });

  it('reads versions 0.1 and 0.2, written as numbers or strings', () => {
    for (const version of ['0.1', '0.2', '"0.2"', "'0.1'"]) {
      expect(
        buildspecReferences(`version: ${version}\nenv:\n  parameter-store:\n    A: /a\n`),
      ).toEqual({ ok: true, parameters: ['/a'], secrets: [] });
    }
    // CodeBuild reads no other version: what it names is then not known
    for (const text of [
      'version: 0.3\nenv: {}',
      'env:\n  parameter-store:\n    A: /a',
      'version: [1]',
    ]) {
      const r = buildspecReferences(text);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toMatch(/`version` is missing or not one CodeBuild reads/);
    }
  });

  it('reads a JSON buildspec (as CDK writes one) and one without env', () => {
    const json = JSON.stringify(
      { version: '0.2', env: { 'secrets-manager': { T: 'tok:k' } }, phases: {} },
      null,
      2,
    );
    expect(buildspecReferences(json)).toEqual({ ok: true, parameters: [], secrets: ['tok'] });
    expect(buildspecReferences('version: 0.2\nphases:\n  build:\n    commands: [make]')).toEqual({
      ok: true,
      parameters: [],
      secrets: [],
    });
    // an empty section is no variable
    expect(buildspecReferences('version: 0.2\nenv:\n  parameter-store:\n')).toEqual({
      ok: true,
      parameters: [],
      secrets: [],
    });
  });

  it('follows anchors, aliases and merge keys', () => {
    const text = [
      'version: 0.2',
      'x-common: &common',
      '  DB: /app/db-password',
      'x-secret: &secret shared/token:value',
      'env:',
      '  parameter-store:',
      '    <<: *common',
      '    OWN: /app/own',
      '  secrets-manager:',
      '    TOKEN: *secret',
    ].join('\n');
    expect(buildspecReferences(text)).toEqual({
      ok: true,
      parameters: ['/app/db-password', '/app/own'],
      secrets: ['shared/token'],
    });
    // an explicit key wins over a merged one
    const override = 'version: 0.2\nb: &b {A: /merged}\nenv:\n  parameter-store: {<<: *b, A: /own}';
    expect(buildspecReferences(override)).toEqual({ ok: true, parameters: ['/own'], secrets: [] });
  });

  // the 60 s timeout is a hang guard for the exponential merge expansion, not a speed measurement
  it('stays bounded on an alias bomb, and says it could not read it', () => {
    const lines = ['version: 0.2', 'l0: &l0 {a: /x, b: /y, c: /z, d: /w, e: /v, f: /u, g: /t}'];
    for (let i = 1; i <= 12; i++) {
      const prev = `*l${i - 1}`;
      lines.push(`l${i}: &l${i} {<<: [${Array(10).fill(prev).join(', ')}]}`);
    }
    lines.push('env:', '  parameter-store: *l12');
    const r = buildspecReferences(lines.join('\n'));
    expect(r).toEqual({ ok: false, reason: 'it is too large or its aliases expand too far' });
    expect(reduceBuildspec(lines.join('\n'), REDACTION_MARKER)).toBeUndefined();
  }, 60_000);

  // the 60 s timeout is a hang guard, not a speed measurement: a walk of the whole document per
  // alias (the library's Alias.resolve) did not finish 8,000 aliases in 30 s, so 30,000 would take
  // minutes; the count of those walks below is the deterministic guard
  it('resolves many aliases in a large document in one pass', () => {
    const text = (n: number): string => {
      const lines = ['version: 0.2', 'x: &p /app/p'];
      for (let i = 0; i < n; i++) lines.push(`k${i}: *p`);
      lines.push('env:', '  parameter-store:', '    A: *p');
      return lines.join('\n');
    };
    const walks = vi.spyOn(Alias.prototype, 'resolve');
    try {
      const counts: number[] = [];
      for (const n of [7_500, 30_000]) {
        walks.mockClear();
        expect(buildspecReferences(text(n))).toEqual({
          ok: true,
          parameters: ['/app/p'],
          secrets: [],
        });
        counts.push(walks.mock.calls.length);
      }
      // as many whole-document walks for 4 times the aliases: none grows with them
      expect(counts[1]).toBe(counts[0]);
    } finally {
      walks.mockRestore();
    }
  }, 60_000);

  it('bounds size and nesting without throwing', () => {
    expect(buildspecReferences(`version: 0.2\n#${'x'.repeat(1_000_001)}`)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/longer than/),
    });
    const deep = `version: 0.2\nenv: ${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    expect(() => buildspecReferences(deep)).not.toThrow();
    expect(buildspecReferences(deep).ok).toBe(false);
  });

  it('is not ok for text that is not YAML, naming only the position', () => {
    const r = buildspecReferences(
      'version: 0.2\nenv:\n  parameter-store:\n    A: "hunter2\n  b: [',
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^it is not YAML \([A-Z_]+ at line \d+, column \d+\)$/);
    expect(JSON.stringify(r)).not.toContain('hunter2');
    // duplicate keys: which one CodeBuild takes is not known
    expect(
      buildspecReferences('version: 0.2\nenv:\n  parameter-store:\n    A: /a\n    A: /b'),
    ).toEqual({ ok: false, reason: 'the key `A` is written twice in one map' });
    expect(buildspecReferences('').ok).toBe(false);
    expect(buildspecReferences('just words here').ok).toBe(false);
    expect(buildspecReferences(REDACTION_MARKER).ok).toBe(false);
  });

  it('is not ok when an env section has the wrong shape, naming the key', () => {
    const cases: [string, RegExp][] = [
      ['version: 0.2\nenv: [a]', /^`env` is not a map$/],
      ['version: 0.2\nenv:\n  parameter-store: [/a]', /^`env.parameter-store` is not a map/],
      ['version: 0.2\nenv:\n  secrets-manager: tok', /^`env.secrets-manager` is not a map/],
      [
        'version: 0.2\nenv:\n  parameter-store:\n    A: 12',
        /`env.parameter-store.A` is not a non-empty string/,
      ],
      ['version: 0.2\nenv:\n  parameter-store:\n    A:', /`env.parameter-store.A`/],
      ['version: 0.2\nenv:\n  secrets-manager:\n    S: {id: x}', /`env.secrets-manager.S`/],
      ['version: 0.2\nenv:\n  secrets-manager:\n    S: ""', /`env.secrets-manager.S`/],
    ];
    for (const [text, reason] of cases) {
      const r = buildspecReferences(text);
      expect(r.ok, text).toBe(false);
      expect(!r.ok && r.reason, text).toMatch(reason);
    }
  });
});

describe('secretIdOf', () => {
  it('takes the name before the first colon, or the ARN of seven fields', () => {
    expect(secretIdOf('name')).toBe('name');
    expect(secretIdOf('name:key:stage:id')).toBe('name');
    expect(secretIdOf(`${SECRET_ARN}:key:AWSCURRENT:`)).toBe(SECRET_ARN);
    expect(secretIdOf(SECRET_ARN)).toBe(SECRET_ARN);
  });
});

describe('namesBuildspec', () => {
  it('tells a file name or S3 ARN from inline text', () => {
    expect(namesBuildspec('buildspec.yml')).toBe(true);
    expect(namesBuildspec('config/buildspec-release.yml')).toBe(true);
    expect(namesBuildspec('arn:aws:s3:::my-bucket/buildspec.yml')).toBe(true);
    expect(namesBuildspec('version: 0.2')).toBe(false);
    expect(namesBuildspec('{"version":"0.2"}')).toBe(false);
    expect(namesBuildspec(REDACTION_MARKER)).toBe(false);
  });
});

describe('reduceBuildspec', () => {
  it('keeps only the version, the two env maps and whether it has artifacts, as JSON that reads the same', () => {
    const text = [
      'version: 0.2',
      'env:',
      '  variables:',
      '    DB_URL: postgres://admin:hunter2@db',
      '  parameter-store:',
      '    DB_PASSWORD: /app/db-password',
      '  secrets-manager:',
      `    CROSS: "${SECRET_ARN}:password::"`,
      '  exported-variables: [X]',
      'phases:',
      '  build:',
      '    commands:',
      '      - \'curl -H "Authorization: token ghp_secret" https://example.com\'',
    ].join('\n');
    const reduced = reduceBuildspec(text, REDACTION_MARKER)!;
    expect(JSON.parse(reduced)).toEqual({
      version: '0.2',
      env: {
        'parameter-store': { DB_PASSWORD: '/app/db-password' },
        'secrets-manager': { CROSS: `${SECRET_ARN}:password::` },
      },
      // it has phases and no artifacts section
      artifacts: false,
    });
    expect(reduced).not.toMatch(/hunter2|ghp_secret|DB_URL|commands/);
    expect(buildspecReferences(reduced)).toEqual(buildspecReferences(text));
  });

  it('keeps "not known" where the original is: nulls and markers, never a dropped entry', () => {
    for (const text of [
      'version: 0.2\nenv:\n  parameter-store:\n    A: {secret: hunter2}',
      'version: 0.2\nenv:\n  parameter-store: hunter2 is here',
      'version: 0.2\nenv: hunter2',
      'env:\n  parameter-store:\n    A: /a',
    ]) {
      const reduced = reduceBuildspec(text, REDACTION_MARKER)!;
      expect(reduced, text).not.toContain('hunter2');
      expect(buildspecReferences(reduced).ok, text).toBe(false);
      expect(namesBuildspec(reduced)).toBe(false);
    }
    expect(reduceBuildspec('a: [', REDACTION_MARKER)).toBeUndefined();
    expect(reduceBuildspec('plain words', REDACTION_MARKER)).toBeUndefined();
  });

  // the identifiers of `artifacts.secondary-artifacts` and their plain names, which the chain
  // reads for an S3 secondary artifact with overrideArtifactName
  // (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.artifacts.secondary-artifacts)
  it("keeps the secondary artifacts' identifiers with their plain names, never a computed one", () => {
    const text = [
      'version: 0.2',
      'env:',
      '  parameter-store:',
      '    A: /a',
      'phases:',
      '  build:',
      '    commands: [make]',
      'artifacts:',
      '  files: [dist/**/*]',
      '  name: primary-$(cat token-hunter2)',
      '  secondary-artifacts:',
      '    rel:',
      '      name: release-1.zip',
      '      files: [release/**/*]',
      '    dated:',
      '      name: "app-$(curl -H \'token: hunter2\' x).zip"',
      '    plain:',
      '      base-directory: hunter2-dir',
      '    odd: hunter2',
      '    number:',
      '      name: 5',
    ].join('\n');
    const reduced = reduceBuildspec(text, REDACTION_MARKER)!;
    expect(JSON.parse(reduced)).toEqual({
      version: '0.2',
      env: { 'parameter-store': { A: '/a' } },
      artifacts: {
        'secondary-artifacts': {
          rel: { name: 'release-1.zip' },
          dated: { name: null },
          plain: {},
          odd: { name: null },
          number: { name: null },
        },
      },
    });
    expect(reduced).not.toMatch(/hunter2|files|primary/);
    // it reads the same: the chain's answers, and whether the buildspec has artifacts
    const names = (t: string): unknown => {
      const m = buildspecSecondaryArtifacts(t);
      return (
        m &&
        [...m].map(([id, { name }]) => [
          id,
          plainArtifactName(name) ? name : name === undefined ? 'none' : 'computed',
        ])
      );
    };
    expect(names(reduced)).toEqual(names(text));
    expect(names(text)).toEqual([
      ['rel', 'release-1.zip'],
      ['dated', 'computed'],
      ['plain', 'none'],
      ['odd', 'computed'],
      ['number', 'computed'],
    ]);
    expect(buildspecDeclaresArtifacts(reduced)).toBe(true);
    expect(buildspecReferences(reduced)).toEqual(buildspecReferences(text));
    expect(reduceBuildspec(reduced, REDACTION_MARKER)).toBe(reduced);
  });

  it('leaves a secondary-artifacts map it cannot read unknown, and the rest read as before', () => {
    for (const artifacts of [
      '  secondary-artifacts: [rel]',
      // a key written twice in it: which definition CodeBuild takes is not known
      '  secondary-artifacts:\n    rel:\n      name: a.zip\n    rel:\n      name: b.zip',
      '  secondary-artifacts:\n    rel:\n      name: a.zip\n      name: b.zip',
    ]) {
      const text = `version: 0.2\nenv:\n  parameter-store:\n    A: /a\nartifacts:\n${artifacts}`;
      expect(buildspecReferences(text), text).toEqual({
        ok: true,
        parameters: ['/a'],
        secrets: [],
      });
      expect(buildspecSecondaryArtifacts(text), text).toBeUndefined();
      const reduced = reduceBuildspec(text, REDACTION_MARKER)!;
      expect(JSON.parse(reduced).artifacts, text).toEqual({
        'secondary-artifacts': REDACTION_MARKER,
      });
      expect(buildspecSecondaryArtifacts(reduced), text).toBeUndefined();
    }
    // none: an empty map (the buildspec defines no secondary artifact)
    expect(buildspecSecondaryArtifacts('version: 0.2\nartifacts:\n  files: [x]')).toEqual(
      new Map(),
    );
    // a reduced buildspec of before, `artifacts: true`, names none either
    expect(buildspecSecondaryArtifacts('{"version":"0.2","artifacts":true}')).toEqual(new Map());
  });

  it('takes names the shell leaves as written as plain, and no other', () => {
    for (const name of ['app.zip', 'a/b/c.zip', 'v1.2_3-x+y=z,w@h:p%', 'A'])
      expect(plainArtifactName(name), name).toBe(true);
    for (const name of [
      '',
      '/a',
      'a/',
      'a//b',
      '$X',
      'a$(date)',
      '`date`',
      'a b',
      '"a"',
      "'a'",
      '*.zip',
      'a?',
      '[ab]',
      '~x',
      '{a,b}',
      'a;b',
      'a\\b',
      '#a',
      'a&b',
      'a|b',
      'a>b',
      'a!b',
      null,
      undefined,
    ])
      expect(plainArtifactName(name), String(name)).toBe(false);
  });
});

describe('each buildspec text is parsed once for its two readings', () => {
  // a loader asks for a buildspec's references and then its reduced text, the chain for the
  // references of a reduced text and whether it declares artifacts: one YAML parse each
  const a =
    'version: 0.2\nenv:\n  parameter-store:\n    A: /a\nphases:\n  build:\n    commands: [make]';
  const b =
    'version: 0.2\nenv:\n  secrets-manager:\n    B: db-creds:password\nartifacts:\n  files: [x]';

  it('parses a text read twice in a row once', () => {
    const parses = vi.spyOn(Parser.prototype, 'parse');
    try {
      const refs = buildspecReferences(a);
      const reduced = reduceBuildspec(a, REDACTION_MARKER);
      expect(parses).toHaveBeenCalledTimes(1);
      expect(refs).toEqual({ ok: true, parameters: ['/a'], secrets: [] });
      expect(JSON.parse(reduced!)).toEqual({
        version: '0.2',
        env: { 'parameter-store': { A: '/a' } },
        artifacts: false,
      });
    } finally {
      parses.mockRestore();
    }
  });

  it('answers for the text it is given when texts alternate', () => {
    for (let i = 0; i < 2; i++) {
      expect(buildspecReferences(a)).toEqual({ ok: true, parameters: ['/a'], secrets: [] });
      expect(buildspecReferences(b)).toEqual({ ok: true, parameters: [], secrets: ['db-creds'] });
      expect(JSON.parse(reduceBuildspec(a, REDACTION_MARKER)!).artifacts).toBe(false);
      expect(JSON.parse(reduceBuildspec(b, REDACTION_MARKER)!).artifacts).toBe(true);
      expect(buildspecReferences('version: 0.2\nenv: [')).toMatchObject({ ok: false });
    }
  });
});

describe('a JSON buildspec is read as its YAML reading reads it', () => {
  // readJsonSections (JSON.parse) stands in for readYamlSections on JSON text, CDK's and the
  // reduced one: on generated JSON texts, whenever it answers, both answers must be the same,
  // order of each map's variables included
  const rnd = random(20261206);
  const pick = picker(rnd);
  const NAMES = [
    'A',
    'DB_PASSWORD',
    '1',
    '07',
    '__proto__',
    '<<',
    'a b',
    '',
    'k'.repeat(1100),
    'é',
    'x\u2028y',
  ];
  const STRINGS = [
    '/a',
    'db-creds:password',
    '  ',
    '',
    'a: b # c',
    '\\/x',
    'arn:aws:ssm:us-east-1:111111111111:parameter/p',
    '\u0000\u0085',
  ];
  const scalar = (): unknown => pick<unknown>([pick(STRINGS), 0, 1.5, true, false, null]);
  const anyValue = (depth: number): unknown =>
    depth > 2 || rnd() < 0.5
      ? scalar()
      : rnd() < 0.5
        ? Array.from({ length: Math.floor(rnd() * 3) }, () => anyValue(depth + 1))
        : Object.fromEntries(
            Array.from({ length: Math.floor(rnd() * 3) }, () => [pick(NAMES), anyValue(depth + 1)]),
          );
  const vars = (): unknown =>
    rnd() < 0.8
      ? Object.fromEntries(
          Array.from({ length: Math.floor(rnd() * 5) }, () => [
            pick(NAMES.slice(0, rnd() < 0.7 ? 2 : NAMES.length)),
            rnd() < 0.8 ? pick(STRINGS) : anyValue(1),
          ]),
        )
      : anyValue(1);
  const buildspec = (): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    const keys = ['version', 'env', 'phases', 'artifacts', 'reports', pick(NAMES)];
    for (const k of keys.sort(() => rnd() - 0.5)) {
      if (rnd() < 0.2) continue;
      if (k === 'version') o[k] = pick<unknown>(['0.2', '0.1', '0.3', null, {}, [], 0.2, true]);
      else if (k === 'env')
        o[k] =
          rnd() < 0.85
            ? Object.fromEntries(
                ['parameter-store', 'secrets-manager', 'variables', pick(NAMES)]
                  .filter(() => rnd() < 0.7)
                  .map((s) => [s, vars()]),
              )
            : anyValue(1);
      else if (k === 'artifacts')
        o[k] =
          rnd() < 0.7
            ? pick<unknown>([true, false, null, {}, [], 'x', 0, { files: ['**/*'] }])
            : {
                files: ['**/*'],
                'secondary-artifacts':
                  rnd() < 0.85
                    ? Object.fromEntries(
                        Array.from({ length: Math.floor(rnd() * 4) }, () => [
                          pick(NAMES),
                          rnd() < 0.8
                            ? Object.fromEntries(
                                [
                                  ['name', rnd() < 0.7 ? pick(STRINGS) : anyValue(1)],
                                  ['files', ['x']],
                                  [pick(NAMES), anyValue(1)],
                                ].filter(() => rnd() < 0.7),
                              )
                            : anyValue(1),
                        ]),
                      )
                    : anyValue(1),
              };
      else o[k] = anyValue(0);
    }
    return o;
  };
  /** a Read with each map as its list of entries, so the order is compared too */
  const plain = (r: ReturnType<typeof readYamlSections>): unknown =>
    JSON.parse(JSON.stringify(r, (_k, v: unknown) => (v instanceof Map ? [...v] : v)));

  it('agrees with the YAML reading on 3,000 generated texts, and answers most of them', () => {
    let answered = 0;
    for (let i = 0; i < 3000; i++) {
      const o = buildspec();
      let text = JSON.stringify(o, null, pick([undefined, 2, 4, '\t']));
      // a member written twice: the JSON reading must leave it to the YAML one
      if (rnd() < 0.05)
        text = text.replace(/}\s*$/, `${Object.keys(o).length ? ',' : ''}"version": "0.1"}`);
      const fast = readJsonSections(text);
      if (fast === undefined) continue;
      answered++;
      expect(plain(fast), text.slice(0, 300)).toEqual(plain(readYamlSections(text)));
    }
    // the generator makes texts it leaves to the YAML reading on purpose (numbers as version,
    // index names, members written twice): about half
    expect(answered).toBeGreaterThan(1000);
  });

  it('reads what CDK and reduceBuildspec write, and leaves other JSON and YAML to the YAML reading', () => {
    const cdk = JSON.stringify(
      {
        version: '0.2',
        env: { 'parameter-store': { A: '/a' }, 'secrets-manager': { T: 'tok:key' } },
        phases: { build: { commands: ['npx cdk synth'] } },
      },
      null,
      2,
    );
    const reduced = reduceBuildspec(cdk, REDACTION_MARKER)!;
    for (const text of [cdk, reduced]) {
      const parses = vi.spyOn(Parser.prototype, 'parse');
      try {
        expect(readJsonSections(text)).toBeDefined();
        expect(buildspecReferences(text + ' ')).toEqual({
          ok: true,
          parameters: ['/a'],
          secrets: ['tok'],
        });
        expect(parses).not.toHaveBeenCalled();
      } finally {
        parses.mockRestore();
      }
    }
    expect(JSON.parse(reduced).artifacts).toBe(false);
    for (const text of [
      'version: 0.2\nenv: {}', // YAML
      '{"version": 0.10}', // a number: YAML keeps `0.10`
      '{"version": "0.2", "version": "0.1"}', // written twice
      '{"version": "0.2", "env": {"parameter-store": {"2": "/b", "1": "/a"}}}', // index names
      `{"version": "0.2", "phases": ${'['.repeat(100)}${']'.repeat(100)}}`, // deep
      '["version", "0.2"]',
    ])
      expect(readJsonSections(text), text.slice(0, 80)).toBeUndefined();
    // the YAML reading keeps the order written
    expect(
      buildspecReferences('{"version": "0.2", "env": {"parameter-store": {"2": "/b", "1": "/a"}}}'),
    ).toEqual({ ok: true, parameters: ['/a', '/b'], secrets: [] });
    expect(
      Object.keys(
        JSON.parse(
          reduceBuildspec(
            '{"version": "0.2", "env": {"parameter-store": {"2": "/b", "1": "/a"}}}',
            'X',
          )!,
        ).env['parameter-store'],
      ),
    ).toEqual(['1', '2']);
  });
});
