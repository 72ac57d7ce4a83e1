import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  PLACEHOLDERS,
  PROVIDERS,
  expandAction,
  expandRequirement,
  findRequirementsDir,
  getCatalog,
  isKnownPlaceholder,
  loadCatalog,
  placeholdersOf,
  validateCatalogFile,
  type ActionFacts,
  type CloneRefSource,
  type ExpandedLink,
  type Requirement,
} from '../../src/chain/catalog.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const requirementsDir = join(root, 'policies', 'requirements');
const iamData = join(root, 'node_modules', '@cloud-copilot', 'iam-data', 'data');
const catalog = loadCatalog();

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function get(id: string): Requirement {
  const e = catalog.byId.get(id);
  if (!e) throw new Error(`no entry ${id}`);
  return e;
}

function links(id: string, facts: ActionFacts): readonly ExpandedLink[] {
  const r = expandRequirement(get(id), facts);
  if ('unknown' in r) throw new Error(`unexpected unknown: ${r.unknown}`);
  return r;
}

/** Every template of an entry: resource, resourceAccount, context values, fix. */
function templatesOf(e: Requirement): string[] {
  const out = [e.resource, e.fix];
  if (e.resourceAccount) out.push(e.resourceAccount);
  for (const v of Object.values(e.context ?? {})) out.push(...(typeof v === 'string' ? [v] : v));
  return out;
}

describe('catalog files', () => {
  it('match the JSON schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(
      readJson(join(root, 'policies', 'requirements.schema.json')) as object,
    );
    const files = readdirSync(requirementsDir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const ok = validate(readJson(join(requirementsDir, f)));
      expect(ok ? [] : validate.errors?.map((e) => `${f}${e.instancePath}: ${e.message}`)).toEqual(
        [],
      );
    }
  });

  it('are found relative to the package root, and loaded once', () => {
    expect(findRequirementsDir()).toBe(requirementsDir);
    expect(getCatalog()).toBe(getCatalog());
    expect(getCatalog().entries.map((e) => e.id)).toEqual(catalog.entries.map((e) => e.id));
  });

  it('load sorted by id, with unique dotted ids', () => {
    const ids = catalog.entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(catalog.byId.size).toBe(ids.length);
  });

  it('document every entry with an AWS doc link and a basis', () => {
    for (const e of catalog.entries) {
      expect(e.doc, e.id).toMatch(
        /^https:\/\/(docs\.aws\.amazon\.com|github\.com\/(awsdocs|aws)\/)/,
      );
      expect(['DOC', 'PRAC', 'INF'], e.id).toContain(e.basis);
      expect(e.fix.length, e.id).toBeGreaterThan(10);
    }
  });

  it('use only known placeholders', () => {
    for (const e of catalog.entries) {
      for (const t of templatesOf(e)) {
        for (const name of placeholdersOf(t)) {
          const ok = isKnownPlaceholder(name) || ['Action', 'Resource', 'Principal'].includes(name);
          expect(ok, `${e.id}: \${${name}}`).toBe(true);
        }
      }
      for (const c of e.when ?? []) {
        expect(
          ['Provider', 'Category'].includes(c.subject) || isKnownPlaceholder(c.subject),
          e.id,
        ).toBe(true);
      }
    }
    // every documented placeholder has a description
    for (const [name, spec] of Object.entries(PLACEHOLDERS))
      expect(spec.description, name).not.toBe('');
  });

  it('name only actions that exist in the AWS action catalog', () => {
    for (const e of catalog.entries) {
      for (const action of e.actions) {
        const [service, name] = action.split(':') as [string, string];
        const file = join(iamData, 'actions', `${service}.json`);
        expect(existsSync(file), `${e.id}: service ${service}`).toBe(true);
        const actions = readJson(file) as Record<string, { name: string }>;
        // keys are lower case; the catalog must also use AWS's own spelling
        expect(actions[name.toLowerCase()]?.name, `${e.id}: ${action}`).toBe(name);
      }
    }
  });

  it('use resources that fit the action resource types', () => {
    for (const e of catalog.entries) {
      for (const action of e.actions) {
        const [service, name] = action.split(':') as [string, string];
        const actions = readJson(join(iamData, 'actions', `${service}.json`)) as Record<
          string,
          { resourceTypes: { name: string }[] }
        >;
        const types = actions[name.toLowerCase()]!.resourceTypes;
        if (types.length === 0) {
          // no resource type: only Resource "*" can allow it
          expect(e.resource, `${e.id}: ${action}`).toBe('*');
          continue;
        }
        if (e.resource === '*') {
          expect(
            e.note,
            `${e.id}: \`*\` for ${action}, which has resource types, needs a note`,
          ).toBeDefined();
          continue;
        }
        const arnTemplates = readJson(join(iamData, 'resourceTypes', `${service}.json`)) as Record<
          string,
          { arn: string }
        >;
        // UseConnection of either prefix is authorized on a connection ARN of either prefix:
        // https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html
        for (const resource of [e.resource, e.alternativeResource ?? e.resource]) {
          const sample = sampleResource(resource)
            .replace(/^arn:aws:(codestar-connections|codeconnections):/, `arn:aws:${service}:`)
            // an SSM document of AWS's has no account in its ARN, as the EC2 deploy action's
            // reference writes it (`arn:aws:ssm:<region>::document/AWS-RunShellScript`)
            .replace(/^(arn:aws:ssm:[^:]+:):document\/AWS-/, '$1aws:document/AWS-');
          const fits = types.some((t) => {
            const arn = arnTemplates[t.name.toLowerCase()]?.arn ?? arnTemplates[t.name]?.arn;
            return arn !== undefined && arnPattern(arn).test(sample);
          });
          expect(fits, `${e.id}: ${action} on ${sample}`).toBe(true);
        }
      }
    }
  });

  /**
   * `key` (lower-cased) is one of `keys`, or fills one written with a variable part
   * (`kms:encryptioncontext:${encryptioncontextkey}` takes `kms:encryptioncontext:aws:sns:topicarn`)
   */
  function knownKey(keys: readonly string[], key: string): boolean {
    return keys.some((k) => {
      const at = k.indexOf('${');
      return at < 0 ? k === key : key.startsWith(k.slice(0, at)) && key.length > at;
    });
  }

  it('use condition keys that exist', () => {
    const globals = new Set([
      'aws:calledvia',
      'aws:calledviafirst',
      'aws:calledvialast',
      'aws:viaawsservice',
      'aws:sourceaccount',
      'aws:sourcearn',
    ]);
    for (const e of catalog.entries) {
      for (const key of Object.keys(e.context ?? {})) {
        const lower = key.toLowerCase();
        if (lower.startsWith('aws:')) {
          // aws:ResourceTag/<tag key>: the tag key is the action's (`${Config.InstanceTagKey}`)
          expect(
            globals.has(lower) || lower.startsWith('aws:resourcetag/'),
            `${e.id}: ${key}`,
          ).toBe(true);
          continue;
        }
        const service = lower.split(':')[0]!;
        const keys = readJson(join(iamData, 'conditionKeys', `${service}.json`)) as Record<
          string,
          unknown
        >;
        expect(knownKey(Object.keys(keys), lower), `${e.id}: ${key}`).toBe(true);
      }
    }
  });

  it('give each action only the service condition keys it has', () => {
    // a key the action does not have is never in its request: a policy testing it (a Null or
    // negated test) decides differently than it would with the key wrongly set
    for (const e of catalog.entries) {
      const keys = [...Object.keys(e.context ?? {}), ...Object.keys(e.uncertainContext ?? {})];
      for (const action of e.actions) {
        const [service, name] = action.split(':') as [string, string];
        const actions = readJson(join(iamData, 'actions', `${service}.json`)) as Record<
          string,
          { conditionKeys: string[]; resourceTypes: { name: string; conditionKeys: string[] }[] }
        >;
        const types = readJson(join(iamData, 'resourceTypes', `${service}.json`)) as Record<
          string,
          { conditionKeys?: string[] }
        >;
        const a = actions[name.toLowerCase()]!;
        const has = new Set(
          [
            ...a.conditionKeys,
            ...a.resourceTypes.flatMap((t) => [
              ...t.conditionKeys,
              ...(types[t.name]?.conditionKeys ?? types[t.name.toLowerCase()]?.conditionKeys ?? []),
            ]),
          ].map((k) => k.toLowerCase()),
        );
        for (const key of keys) {
          const lower = key.toLowerCase();
          if (lower.startsWith('aws:')) continue;
          expect(knownKey([...has], lower), `${e.id}: ${action} has no \`${key}\``).toBe(true);
        }
      }
    }
  });

  it('cover every provider, S3 as both source and deploy', () => {
    const providers = new Set(catalog.entries.map((e) => e.provider));
    for (const p of PROVIDERS) expect(providers.has(p), p).toBe(true);
    for (const p of [
      'ArtifactStore',
      'CodeBuildProject',
      'PipelineTrigger',
      'AnyAction',
      'Pipeline',
    ]) {
      expect(providers.has(p as Requirement['provider']), p).toBe(true);
    }
    const s3 = catalog.entries.filter((e) => e.provider === 'S3');
    expect(new Set(s3.map((e) => e.category))).toEqual(new Set(['Source', 'Deploy']));
    // the principals the brief names all appear
    const principals = new Set(catalog.entries.map((e) => e.principal));
    for (const p of [
      'actionRole',
      'pipelineRole',
      'codebuildProjectRole',
      'lambdaFunctionRole',
      'eventsRuleRole',
    ]) {
      expect(principals.has(p as Requirement['principal']), p).toBe(true);
    }
  });
});

describe('loadCatalog on a broken catalog', () => {
  it('throws, naming every problem', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'permchain-catalog-'));
    onTestFinished(() => rmSync(tmp, { recursive: true, force: true }));
    const dir = join(tmp, 'policies', 'requirements');
    mkdirSync(dir, { recursive: true });
    const entry = {
      id: 'a.b',
      provider: 'Manual',
      principal: 'actionRole',
      actions: ['sns:Publish'],
      resource: '${Config.NotificationArn}',
      level: 'required',
      doc: 'https://docs.aws.amazon.com/x',
      basis: 'DOC',
      fix: 'x',
    };
    writeFileSync(join(dir, 'one.json'), JSON.stringify({ requirements: [entry] }));
    writeFileSync(join(dir, 'two.json'), JSON.stringify({ requirements: [entry] }));
    writeFileSync(join(dir, 'three.json'), '{');
    expect(() => loadCatalog(dir)).toThrow(/catalog: 2 problem\(s\)/);
    expect(() => loadCatalog(dir)).toThrow(
      /duplicate id `a\.b` \(first in `policies\/requirements\/one\.json`\) \[catalog\.id\.duplicate\]/,
    );
    expect(() => loadCatalog(dir)).toThrow(/policies\/requirements\/three\.json: invalid json/);
  });
});

describe('validateCatalogFile', () => {
  const good = {
    id: 'x.y',
    provider: 'CodeBuild',
    principal: 'actionRole',
    actions: ['codebuild:StartBuild'],
    resource:
      'arn:${Partition}:codebuild:${ActionRegion}:${ActionAccount}:project/${Config.ProjectName}',
    level: 'required',
    doc: 'https://docs.aws.amazon.com/x',
    basis: 'DOC',
    fix: 'allow `${Action}`',
  };
  const check = (entry: object): string[] =>
    validateCatalogFile({ requirements: [entry] }, 'f.json').problems.map((p) => p.id);

  it('accepts a well-formed entry', () => {
    const r = validateCatalogFile({ requirements: [good] }, 'f.json');
    expect(r.problems).toEqual([]);
    expect(r.entries).toEqual([{ ...good, file: 'f.json' }]);
  });

  it('rejects bad ids, enums, actions and docs', () => {
    expect(check({ ...good, id: 'NoDots' })).toEqual(['catalog.id.invalid']);
    expect(check({ ...good, provider: 'GitHub' })).toEqual(['catalog.provider.unknown']);
    expect(check({ ...good, principal: 'someone' })).toEqual(['catalog.principal.unknown']);
    expect(check({ ...good, level: 'maybe' })).toEqual(['catalog.level.unknown']);
    expect(check({ ...good, basis: 'GUESS' })).toEqual(['catalog.basis.unknown']);
    expect(check({ ...good, doc: 'http://x' })).toEqual(['catalog.doc.invalid']);
    expect(check({ ...good, actions: ['StartBuild'] })).toEqual(['catalog.action.invalid']);
    expect(check({ ...good, actions: ['s3:GetObject', 's3:getobject'] })).toEqual([
      'catalog.action.duplicate',
    ]);
    expect(check({ ...good, extra: 1 })).toEqual(['catalog.entry.unknown-key']);
    const { fix: _fix, ...noFix } = good;
    expect(check(noFix)).toEqual(['catalog.entry.missing']);
  });

  it('rejects unknown placeholders and more than one list placeholder', () => {
    expect(check({ ...good, resource: 'arn:${Partition}:x:${Nope}' })).toEqual([
      'catalog.placeholder.unknown',
    ]);
    expect(check({ ...good, fix: '${Whatever}' })).toEqual(['catalog.placeholder.unknown']);
    expect(check({ ...good, context: { 'x:Key': '${Nope}' } })).toEqual([
      'catalog.placeholder.unknown',
    ]);
    expect(
      check({
        ...good,
        resource: '${InputArtifactKey}',
        context: { 'ec2:Subnet': '${CodeBuild.SubnetArn}' },
      }),
    ).toEqual(['catalog.placeholder.lists']);
  });

  it('rejects a multi placeholder anywhere but as a whole element of a context value list', () => {
    // `${StackSet.Regions}` is a set of values filling one multivalued context key (501ec51)
    const problems = (entry: object): string[] =>
      validateCatalogFile({ requirements: [entry] }, 'f.json').problems.map(
        (p) => `${p.id} ${p.pointer}`,
      );
    expect(problems({ ...good, resource: 'arn:${Partition}:x:${StackSet.Regions}' })).toEqual([
      'catalog.placeholder.multi /requirements/0/resource',
    ]);
    expect(
      problems({ ...good, alternativeResource: 'arn:${Partition}:x:${StackSet.Regions}' }),
    ).toEqual(['catalog.placeholder.multi /requirements/0/alternativeResource']);
    expect(problems({ ...good, resourceAccount: '${StackSet.Regions}' })).toEqual([
      'catalog.placeholder.multi /requirements/0/resourceAccount',
    ]);
    // a single context value, even whole, is one value, not a set
    expect(
      problems({ ...good, context: { 'aws:RequestedRegion': '${StackSet.Regions}' } }),
    ).toEqual(['catalog.placeholder.multi /requirements/0/context/aws:RequestedRegion']);
    // in a list, but not the whole element
    expect(
      problems({ ...good, context: { 'aws:RequestedRegion': ['x-${StackSet.Regions}'] } }),
    ).toEqual(['catalog.placeholder.multi /requirements/0/context/aws:RequestedRegion']);
    expect(
      problems({ ...good, uncertainContext: { 'aws:RequestedRegion': '${StackSet.Regions}' } }),
    ).toEqual(['catalog.placeholder.multi /requirements/0/uncertainContext/aws:RequestedRegion']);
    // the one allowed form
    expect(
      problems({ ...good, context: { 'aws:RequestedRegion': ['${StackSet.Regions}'] } }),
    ).toEqual([]);
  });

  it('validates the when vocabulary', () => {
    expect(check({ ...good, when: [{ subject: 'Config.ActionMode', in: ['A'] }] })).toEqual([]);
    expect(check({ ...good, when: [{ subject: 'Provider', notIn: ['A'] }] })).toEqual([]);
    expect(check({ ...good, when: [{ subject: 'Weather', present: true }] })).toEqual([
      'catalog.when.subject',
    ]);
    expect(check({ ...good, when: [{ subject: 'Provider', present: true, in: ['A'] }] })).toEqual([
      'catalog.when.shape',
    ]);
    expect(check({ ...good, when: [{ subject: 'Provider', equals: 'A' }] })).toEqual([
      'catalog.when.unknown-key',
      'catalog.when.shape',
    ]);
    expect(check({ ...good, when: [{ subject: 'Provider', in: [] }] })).toEqual([
      'catalog.when.shape',
    ]);
    expect(check({ ...good, when: [] })).toEqual(['catalog.entry.type']);
    // a context key may end with a placeholder (a tag key the action names), nothing else
    expect(check({ ...good, context: { 'aws:ResourceTag/${Config.TagKey}': 'v' } })).toEqual([]);
    expect(check({ ...good, context: { 'aws:ResourceTag/${Nope.Key}': 'v' } })).toEqual([
      'catalog.placeholder.unknown',
    ]);
    expect(check({ ...good, context: { 'aws:${Config.TagKey}/x': 'v' } })).toEqual([
      'catalog.context.key',
    ]);
    expect(check({ ...good, context: { 'aws:ResourceTag/a${Config.TagKey}': 'v' } })).toEqual([
      'catalog.context.key',
    ]);
    expect(check({ ...good, recommendedOnService: 'codestar-connections' })).toEqual([]);
    expect(check({ ...good, recommendedOnService: 'Code Star' })).toEqual(['catalog.entry.type']);
    expect(
      check({ ...good, level: 'recommended', recommendedOnService: 'codestar-connections' }),
    ).toEqual(['catalog.entry.type']);
    // a recommended entry's own words for when the run needs it: plain words, which end a why
    const some = { ...good, level: 'recommended' };
    expect(
      check({ ...some, whenNeeded: 'it is needed only when the upload is multipart' }),
    ).toEqual([]);
    expect(
      check({ ...good, whenNeeded: 'it is needed only when the upload is multipart' }),
    ).toEqual(['catalog.entry.type']);
    expect(check({ ...some, whenNeeded: 'it is needed for ${Config.BucketName}' })).toEqual([
      'catalog.entry.type',
    ]);
    expect(check({ ...some, whenNeeded: 'it is needed for large uploads.' })).toEqual([
      'catalog.entry.type',
    ]);
    expect(check({ ...some, whenNeeded: 'It is needed for large uploads' })).toEqual([
      'catalog.entry.type',
    ]);
    expect(check({ ...some, whenNeeded: '' })).toEqual(['catalog.entry.type']);
  });

  it('rejects a file that is not a catalog', () => {
    expect(validateCatalogFile([], 'f.json').problems.map((p) => p.id)).toEqual([
      'catalog.file.shape',
    ]);
    expect(validateCatalogFile({ requirements: [] }, 'f.json').problems.map((p) => p.id)).toEqual([
      'catalog.file.shape',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

const TOOLS = '111111111111';
const TARGET = '222222222222';
const KEY = `arn:aws:kms:eu-west-1:${TOOLS}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const PIPELINE_ROLE = `arn:aws:iam::${TOOLS}:role/pipeline-role`;
const CONNECTION = `arn:aws:codeconnections:eu-west-1:${TOOLS}:connection/abc`;
const FAS = {
  'aws:CalledVia': ['s3.amazonaws.com'],
  'aws:CalledViaFirst': 's3.amazonaws.com',
  'aws:CalledViaLast': 's3.amazonaws.com',
  'aws:ViaAWSService': 'true',
  'kms:ViaService': 's3.eu-west-1.amazonaws.com',
};

function facts(over: Partial<ActionFacts>): ActionFacts {
  return {
    partition: 'aws',
    region: 'eu-west-1',
    account: TOOLS,
    pipelineName: 'my-application-pipeline-prod',
    pipelineRoleArn: PIPELINE_ROLE,
    stageName: 'Build',
    actionName: 'Build',
    category: 'Build',
    provider: 'CodeBuild',
    actionRegion: 'eu-west-1',
    actionAccount: TOOLS,
    configuration: {},
    inputArtifacts: [],
    outputArtifacts: [],
    artifactStore: { bucket: 'artifacts-bucket', keyId: KEY, keyArn: KEY },
    ...over,
  };
}

const triples = (ls: readonly ExpandedLink[]): string[] =>
  ls.map((l) => `${l.requirementId} ${l.principalRole} ${l.action} ${l.resource}`);

describe('expandRequirement: a CodeBuild action', () => {
  const PROJECT_ROLE = `arn:aws:iam::${TOOLS}:role/build-role`;
  const f = facts({
    configuration: { ProjectName: 'app-build' },
    inputArtifacts: ['SourceArtifact'],
    outputArtifacts: ['BuildArtifact'],
    codebuild: { serviceRoleArn: PROJECT_ROLE, encryptionKeyId: KEY, encryptionKeyArn: KEY },
  });
  const PROJECT = `arn:aws:codebuild:eu-west-1:${TOOLS}:project/app-build`;

  it('gives the exact pipeline-side links', () => {
    expect(links('codebuild.start-build', f)).toEqual([
      {
        requirementId: 'codebuild.start-build',
        principalRole: 'actionRole',
        principal: PIPELINE_ROLE,
        action: 'codebuild:StartBuild',
        resource: PROJECT,
        context: {},
        level: 'required',
        doc: 'https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html',
        basis: 'DOC',
        fix: `allow \`codebuild:StartBuild\` on \`${PROJECT}\` in the policies of \`${PIPELINE_ROLE}\``,
      },
      {
        requirementId: 'codebuild.start-build',
        principalRole: 'actionRole',
        principal: PIPELINE_ROLE,
        action: 'codebuild:BatchGetBuilds',
        resource: PROJECT,
        context: {},
        level: 'required',
        doc: 'https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html',
        basis: 'DOC',
        fix: `allow \`codebuild:BatchGetBuilds\` on \`${PROJECT}\` in the policies of \`${PIPELINE_ROLE}\``,
      },
    ]);
    expect(links('codebuild.start-build-batch', f)).toEqual([]);
    expect(
      links(
        'codebuild.start-build-batch',
        facts({ ...f, configuration: { ProjectName: 'x', BatchEnabled: 'true' } }),
      ).map((l) => l.action),
    ).toEqual(['codebuild:StartBuildBatch', 'codebuild:BatchGetBuildBatches']);
  });

  it('requires creating the default log group, and only recommends creating a group the project names', () => {
    // CodeBuild creates the group when it does not exist: the default one at the first build; a
    // group the project names is its owner's, and the AWS CDK grants only writing to it
    // (https://github.com/aws/aws-cdk/pull/12213), builds that run
    const create = (logGroupName?: string) =>
      [
        ...links(
          'codebuild-project.logs-create-log-group',
          facts({
            ...f,
            codebuild: { ...f.codebuild!, ...(logGroupName ? { logGroupName } : {}) },
          }),
        ),
        ...links(
          'codebuild-project.logs-create-custom-log-group',
          facts({
            ...f,
            codebuild: { ...f.codebuild!, ...(logGroupName ? { logGroupName } : {}) },
          }),
        ),
      ].map((l) => `${l.requirementId} ${l.level} ${l.resource}`);
    const group = (name: string) => `arn:aws:logs:eu-west-1:${TOOLS}:log-group:${name}`;
    expect(create()).toEqual([
      `codebuild-project.logs-create-log-group required ${group('/aws/codebuild/app-build')}`,
    ]);
    expect(create('/aws/codebuild/app-build')).toEqual([
      `codebuild-project.logs-create-log-group required ${group('/aws/codebuild/app-build')}`,
    ]);
    expect(create('build-logs')).toEqual([
      `codebuild-project.logs-create-custom-log-group recommended ${group('build-logs')}`,
    ]);
    // a name a template does not settle may be the default one: both entries are not known,
    // neither is dropped
    const unsettled = facts({
      ...f,
      codebuild: { ...f.codebuild!, logGroupName: 'unresolved-0123456789' },
    });
    for (const id of [
      'codebuild-project.logs-create-log-group',
      'codebuild-project.logs-create-custom-log-group',
    ]) {
      const r = expandRequirement(catalog.byId.get(id)!, unsettled);
      expect(Array.isArray(r) ? 'expanded' : 'unknown', id).toBe('unknown');
    }
  });

  it('gives the project role the artifact links, with the truncated object keys', () => {
    const { links: all, unknowns } = expandAction(catalog, f);
    expect(unknowns).toEqual([]);
    const required = all.filter((l) => l.level === 'required');
    expect(triples(required)).toEqual([
      `codebuild-project.assume-service-role codebuildService sts:AssumeRole ${PROJECT_ROLE}`,
      `codebuild-project.input-get-object codebuildProjectRole s3:GetObject arn:aws:s3:::artifacts-bucket/my-application-pipel/SourceArti/*`,
      `codebuild-project.input-kms-decrypt codebuildProjectRole kms:Decrypt ${KEY}`,
      `codebuild-project.logs-create-log-group codebuildProjectRole logs:CreateLogGroup arn:aws:logs:eu-west-1:${TOOLS}:log-group:/aws/codebuild/app-build`,
      `codebuild-project.logs-write codebuildProjectRole logs:CreateLogStream arn:aws:logs:eu-west-1:${TOOLS}:log-group:/aws/codebuild/app-build:log-stream:*`,
      `codebuild-project.logs-write codebuildProjectRole logs:PutLogEvents arn:aws:logs:eu-west-1:${TOOLS}:log-group:/aws/codebuild/app-build:log-stream:*`,
      `codebuild-project.output-kms-generate-data-key codebuildProjectRole kms:GenerateDataKey ${KEY}`,
      `codebuild-project.output-put-object codebuildProjectRole s3:PutObject arn:aws:s3:::artifacts-bucket/my-application-pipel/BuildArtif/*`,
      `codebuild.start-build actionRole codebuild:StartBuild ${PROJECT}`,
      `codebuild.start-build actionRole codebuild:BatchGetBuilds ${PROJECT}`,
      `pipeline.assume-service-role codepipelineService sts:AssumeRole ${PIPELINE_ROLE}`,
    ]);
    const trust = required.find(
      (l) => l.requirementId === 'codebuild-project.assume-service-role',
    )!;
    expect(trust.principal).toBe('codebuild.amazonaws.com');
    expect(trust.context).toEqual({ 'aws:SourceAccount': TOOLS, 'aws:SourceArn': PROJECT });
    const decrypt = required.find((l) => l.action === 'kms:Decrypt')!;
    expect(decrypt.context).toEqual({ ...FAS, 'kms:CallerAccount': TOOLS });
    const put = required.find((l) => l.action === 's3:PutObject')!;
    expect(put.resourceAccount).toBe(TOOLS);
    expect(put.context).toEqual({
      's3:x-amz-server-side-encryption': 'aws:kms',
      's3:x-amz-server-side-encryption-aws-kms-key-id': KEY,
    });
    // the action role (pipeline role here) does not touch CodeBuild's artifacts
    expect(all.filter((l) => l.requirementId.startsWith('artifacts.'))).toEqual([]);
  });

  it('clones through one connection once per repository, each link with its own repository', () => {
    const source = (full?: string): CloneRefSource => ({
      provider: 'CodeStarSourceConnection',
      connectionArn: CONNECTION,
      ...(full !== undefined ? { fullRepositoryId: full } : {}),
    });
    const g = facts({
      ...f,
      codebuild: { serviceRoleArn: PROJECT_ROLE, encryptionKeyArn: KEY },
      cloneRefSources: [source('org/app'), source('org/lib'), source('org/app'), source()],
    });
    const clone = links('codebuild-project.clone-use-connection', g);
    expect(clone.map((l) => [l.resource, l.context])).toEqual([
      [CONNECTION, { 'codeconnections:FullRepositoryId': 'org/app' }],
      [CONNECTION, { 'codeconnections:FullRepositoryId': 'org/lib' }],
      // no FullRepositoryId in the source configuration: the key is absent
      [CONNECTION, {}],
    ]);
    expect(clone[2]!.uncertainContext).toEqual({
      'codeconnections:ProviderAction': 'GitPull',
      'codeconnections:ProviderPermissionsRequired': 'read_only',
    });
    expect(clone.map((l) => l.level)).toEqual(['required', 'required', 'required']);
    // a connection of the older prefix: the codeconnections action is only recommended
    const legacy = CONNECTION.replace(':codeconnections:', ':codestar-connections:');
    const h = facts({ ...g, cloneRefSources: [{ ...source('org/app'), connectionArn: legacy }] });
    expect(
      [
        ...links('codebuild-project.clone-codestar-connections-use-connection', h),
        ...links('codebuild-project.clone-use-connection', h),
      ].map((l) => [l.action, l.resource, l.level]),
    ).toEqual([
      ['codestar-connections:UseConnection', legacy, 'required'],
      ['codeconnections:UseConnection', legacy, 'recommended'],
    ]);
  });

  it('rejects a companion placeholder without its list placeholder', () => {
    const entry = {
      id: 'x.y',
      provider: 'CodeBuildProject',
      principal: 'codebuildProjectRole',
      actions: ['codeconnections:UseConnection'],
      resource: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/x',
      context: { 'codeconnections:FullRepositoryId': '${CloneRef.FullRepositoryId}' },
      level: 'required',
      doc: 'https://example.com',
      basis: 'DOC',
      fix: 'f',
    };
    const r = validateCatalogFile({ requirements: [entry] }, 'x.json');
    expect(r.problems.map((p) => p.id)).toEqual(['catalog.placeholder.companion']);
  });

  it('leaves uncertain only the link of an unsettled list value, not its siblings', () => {
    const g = facts({
      ...f,
      codebuild: {
        serviceRoleArn: PROJECT_ROLE,
        encryptionKeyArn: KEY,
        secrets: [
          'unresolved-0123456789',
          `arn:aws:secretsmanager:eu-west-1:${TOOLS}:secret:db-AbCdEf`,
        ],
      },
    });
    const made = links('codebuild-project.secrets-manager-get-secret-value', g);
    expect(made.map((l) => [l.resource, l.presumed])).toEqual([
      [
        `arn:aws:secretsmanager:eu-west-1:${TOOLS}:secret:unresolved-0123456789-??????`,
        `arn:aws:secretsmanager:eu-west-1:${TOOLS}:secret:unresolved-0123456789-??????`,
      ],
      [`arn:aws:secretsmanager:eu-west-1:${TOOLS}:secret:db-AbCdEf`, undefined],
    ]);
  });

  it('adds ECR pulls, VPC links per subnet, and clone links only when configured', () => {
    const g = facts({
      ...f,
      codebuild: {
        serviceRoleArn: PROJECT_ROLE,
        encryptionKeyArn: KEY,
        imagePullCredentialsType: 'SERVICE_ROLE',
        image: `${TARGET}.dkr.ecr.eu-west-1.amazonaws.com/build-image:latest`,
        subnets: ['subnet-a', 'subnet-b'],
      },
      cloneRefSources: [
        {
          provider: 'CodeStarSourceConnection',
          connectionArn: CONNECTION,
          fullRepositoryId: 'org/app',
          branchName: 'main',
        },
      ],
    });
    expect(triples(links('codebuild-project.ecr-pull', g))).toEqual([
      `codebuild-project.ecr-pull codebuildProjectRole ecr:BatchGetImage arn:aws:ecr:eu-west-1:${TARGET}:repository/build-image`,
      `codebuild-project.ecr-pull codebuildProjectRole ecr:GetDownloadUrlForLayer arn:aws:ecr:eu-west-1:${TARGET}:repository/build-image`,
    ]);
    expect(links('codebuild-project.ecr-pull-as-service', g)).toEqual([]);
    expect(
      links('codebuild-project.vpc-network-interface-permission', g).map((l) => l.context),
    ).toEqual([
      {
        'ec2:AuthorizedService': 'codebuild.amazonaws.com',
        'ec2:Subnet': `arn:aws:ec2:eu-west-1:${TOOLS}:subnet/subnet-a`,
      },
      {
        'ec2:AuthorizedService': 'codebuild.amazonaws.com',
        'ec2:Subnet': `arn:aws:ec2:eu-west-1:${TOOLS}:subnet/subnet-b`,
      },
    ]);
    // both prefixes, each with its own keys: the repository is known, the rest is not documented
    const clone = [
      ...links('codebuild-project.clone-codestar-connections-use-connection', g),
      ...links('codebuild-project.clone-use-connection', g),
    ];
    expect(clone.map((l) => [l.action, l.resource, l.context, l.uncertainContext])).toEqual([
      [
        'codestar-connections:UseConnection',
        CONNECTION,
        { 'codestar-connections:FullRepositoryId': 'org/app' },
        {
          'codestar-connections:BranchName': 'main',
          'codestar-connections:OwnerId': 'org',
          'codestar-connections:ProviderAction': 'GitPull',
          'codestar-connections:ProviderPermissionsRequired': 'read_only',
          'codestar-connections:RepositoryName': 'app',
        },
      ],
      [
        'codeconnections:UseConnection',
        CONNECTION,
        { 'codeconnections:FullRepositoryId': 'org/app' },
        {
          'codeconnections:BranchName': 'main',
          'codeconnections:OwnerId': 'org',
          'codeconnections:ProviderAction': 'GitPull',
          'codeconnections:ProviderPermissionsRequired': 'read_only',
          'codeconnections:RepositoryName': 'app',
        },
      ],
    ]);
    expect(links('codebuild-project.clone-git-pull', g)).toEqual([]);
    // default credentials: the repository policy must let the service principal pull
    const h = facts({
      ...g,
      codebuild: { ...g.codebuild, imagePullCredentialsType: undefined, subnets: [] },
    });
    expect(links('codebuild-project.ecr-pull', h)).toEqual([]);
    expect(links('codebuild-project.ecr-pull-as-service', h).map((l) => l.principal)).toEqual([
      'codebuild.amazonaws.com',
      'codebuild.amazonaws.com',
    ]);
    expect(links('codebuild-project.vpc-describe', h)).toEqual([]);
  });

  it('returns unknown instead of guessing the project or the key', () => {
    const noProject = facts({ ...f, codebuild: undefined });
    // whether it applies is not known (the project's logs setting): no placeholder, and the call
    // may not be made (no callMade)
    expect(expandRequirement(get('codebuild-project.logs-write'), noProject)).toEqual({
      unknown: '`codebuild-project.logs-write`: the CodeBuild project `app-build` is not known',
    });
    const defaultKey = facts({ ...f, codebuild: { serviceRoleArn: PROJECT_ROLE } });
    expect(
      expandRequirement(get('codebuild-project.output-kms-generate-data-key'), defaultKey),
    ).toEqual({
      unknown:
        '`codebuild-project.output-kms-generate-data-key`: the project uses the AWS-managed key `aws/s3` of its account, whose arn is not known',
      // the placeholder that left it unbuilt (not set above: whether the entry applies did)
      placeholder: 'CodeBuild.EncryptionKeyArn',
      // the call is made, with a key the input does not name (not said above: it may not be)
      callMade: true,
    });
    // a project whose buildspec may not declare the artifacts: the upload, and its KMS call, are
    // only presumed, so the call may not be made
    const presumed = facts({
      ...f,
      codebuild: { serviceRoleArn: PROJECT_ROLE, undeclaredArtifacts: 'the buildspec is unread' },
    });
    expect(
      expandRequirement(get('codebuild-project.output-kms-generate-data-key'), presumed),
    ).toEqual({
      unknown:
        '`codebuild-project.output-kms-generate-data-key`: the project uses the AWS-managed key `aws/s3` of its account, whose arn is not known',
      placeholder: 'CodeBuild.EncryptionKeyArn',
    });
    const noKey = facts({ ...f, artifactStore: { bucket: 'artifacts-bucket' } });
    expect(expandRequirement(get('codebuild-project.input-kms-decrypt'), noKey)).toEqual({
      unknown:
        '`codebuild-project.input-kms-decrypt`: the artifact store uses the AWS-managed key `aws/s3`, whose arn is not known',
      placeholder: 'ArtifactKeyArn',
      callMade: true,
    });
    // …but a context key that is absent is just left out of the request
    const put = links('codebuild-project.output-put-object', defaultKey)[0]!;
    expect(put.context).toEqual({ 's3:x-amz-server-side-encryption': 'aws:kms' });
  });
});

describe('expandRequirement: a cross-account CloudFormation deploy', () => {
  const ACTION_ROLE = `arn:aws:iam::${TARGET}:role/cfn-action-role`;
  const EXEC_ROLE = `arn:aws:iam::${TARGET}:role/cfn-execution-role`;
  const STACK = `arn:aws:cloudformation:eu-west-1:${TARGET}:stack/app-stack/*`;
  const f = facts({
    stageName: 'Deploy',
    actionName: 'DeployProd',
    category: 'Deploy',
    provider: 'CloudFormation',
    actionAccount: TARGET,
    actionRoleArn: ACTION_ROLE,
    configuration: {
      ActionMode: 'CREATE_UPDATE',
      StackName: 'app-stack',
      RoleArn: EXEC_ROLE,
      TemplatePath: 'BuildArtifact::template.yaml',
    },
    inputArtifacts: ['BuildArtifact'],
  });

  it('gives the exact required links', () => {
    const { links: all, unknowns } = expandAction(catalog, f);
    expect(unknowns).toEqual([]);
    expect(triples(all.filter((l) => l.level === 'required'))).toEqual([
      `action.assume-action-role pipelineRole sts:AssumeRole ${ACTION_ROLE}`,
      `artifacts.input.get-object actionRole s3:GetObject arn:aws:s3:::artifacts-bucket/my-application-pipel/BuildArtif/*`,
      `artifacts.input.kms-decrypt actionRole kms:Decrypt ${KEY}`,
      `cloudformation.assume-execution-role cloudformationService sts:AssumeRole ${EXEC_ROLE}`,
      `cloudformation.create-update-stack actionRole cloudformation:CreateStack ${STACK}`,
      `cloudformation.create-update-stack actionRole cloudformation:UpdateStack ${STACK}`,
      `cloudformation.describe-stacks actionRole cloudformation:DescribeStacks ${STACK}`,
      `cloudformation.pass-role actionRole iam:PassRole ${EXEC_ROLE}`,
      `pipeline.assume-service-role codepipelineService sts:AssumeRole ${PIPELINE_ROLE}`,
    ]);
  });

  it('passes the execution role to CloudFormation and decrypts as the target account', () => {
    expect(links('cloudformation.pass-role', f)).toEqual([
      {
        requirementId: 'cloudformation.pass-role',
        principalRole: 'actionRole',
        principal: ACTION_ROLE,
        action: 'iam:PassRole',
        resource: EXEC_ROLE,
        context: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
        level: 'required',
        doc: 'https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html',
        basis: 'DOC',
        note: get('cloudformation.pass-role').note,
        fix: `allow \`iam:PassRole\` on \`${EXEC_ROLE}\` with \`iam:PassedToService\` = \`cloudformation.amazonaws.com\` in the policies of \`${ACTION_ROLE}\``,
      },
    ]);
    const [decrypt] = links('artifacts.input.kms-decrypt', f);
    expect(decrypt!.principal).toBe(ACTION_ROLE);
    expect(decrypt!.context).toEqual({ ...FAS, 'kms:CallerAccount': TARGET });
    expect(links('artifacts.input.get-object', f)[0]!.resourceAccount).toBe(TOOLS);
  });

  it('does not pass RoleArn on CHANGE_SET_EXECUTE', () => {
    const g = facts({
      ...f,
      configuration: { ...f.configuration, ActionMode: 'CHANGE_SET_EXECUTE', ChangeSetName: 'cs' },
    });
    expect(links('cloudformation.pass-role', g)).toEqual([]);
    expect(links('cloudformation.assume-execution-role', g)).toEqual([]);
    expect(links('cloudformation.create-update-stack', g)).toEqual([]);
    expect(links('cloudformation.change-set-execute', g).map((l) => l.action)).toEqual([
      'cloudformation:ExecuteChangeSet',
      'cloudformation:DescribeChangeSet',
    ]);
  });

  it('writes OutputFileName artifacts as the action role', () => {
    const g = facts({ ...f, outputArtifacts: ['StackOutputs'] });
    expect(triples(links('artifacts.output.put-object', g))).toEqual([
      'artifacts.output.put-object actionRole s3:PutObject arn:aws:s3:::artifacts-bucket/my-application-pipel/StackOutpu/*',
    ]);
  });
});

describe('expandRequirement: a Lambda invoke', () => {
  const FN_ROLE = `arn:aws:iam::${TOOLS}:role/fn-role`;
  const f = facts({
    stageName: 'Invoke',
    actionName: 'Notify',
    category: 'Invoke',
    provider: 'Lambda',
    configuration: { FunctionName: 'notify-fn' },
    inputArtifacts: ['BuildArtifact'],
    lambda: { functionRoleArn: FN_ROLE },
  });

  it('invokes the function and lets the function report its result on *', () => {
    expect(triples(expandAction(catalog, f).links.filter((l) => l.level === 'required'))).toEqual([
      // the function reads its input with the action role's session (artifactCredentials)
      `artifacts.input.get-object actionRole s3:GetObject arn:aws:s3:::artifacts-bucket/my-application-pipel/BuildArtif/*`,
      `artifacts.input.kms-decrypt actionRole kms:Decrypt ${KEY}`,
      `lambda.assume-function-role lambdaService sts:AssumeRole ${FN_ROLE}`,
      `lambda.invoke-function actionRole lambda:InvokeFunction arn:aws:lambda:eu-west-1:${TOOLS}:function:notify-fn`,
      'lambda.put-job-result lambdaFunctionRole codepipeline:PutJobSuccessResult *',
      'lambda.put-job-result lambdaFunctionRole codepipeline:PutJobFailureResult *',
      `pipeline.assume-service-role codepipelineService sts:AssumeRole ${PIPELINE_ROLE}`,
    ]);
    expect(links('lambda.put-job-result', f)[0]!.principal).toBe(FN_ROLE);
  });

  it('leaves pipeline-scoped entries out on request', () => {
    const ids = expandAction(catalog, f, { pipelineScope: false }).links.map(
      (l) => l.requirementId,
    );
    expect(ids).not.toContain('pipeline.assume-service-role');
    expect(ids).toContain('lambda.invoke-function');
  });

  it('keeps a function ARN as given and reports an unknown function role', () => {
    const arn = `arn:aws:lambda:eu-west-1:${TOOLS}:function:other:prod`;
    expect(
      links('lambda.invoke-function', facts({ ...f, configuration: { FunctionName: arn } }))[0]!
        .resource,
    ).toBe(arn);
    expect(
      expandRequirement(get('lambda.assume-function-role'), facts({ ...f, lambda: undefined })),
    ).toEqual({
      unknown: "`lambda.assume-function-role`: the function's execution role is not known",
      placeholder: 'Lambda.FunctionRoleArn',
      callMade: true,
    });
  });
});

describe('expandRequirement: other providers', () => {
  it('authorizes DescribeExecution on the execution ARN', () => {
    const f = facts({
      category: 'Invoke',
      provider: 'StepFunctions',
      configuration: { StateMachineArn: `arn:aws:states:eu-west-1:${TOOLS}:stateMachine:flow` },
    });
    // the execution name is the per-run action execution id (a UUID), after the prefix if any
    const ID = '????????-????-????-????-????????????';
    expect(links('stepfunctions.describe-execution', f)[0]!.resource).toBe(
      `arn:aws:states:eu-west-1:${TOOLS}:execution:flow:${ID}`,
    );
    const prefixed = facts({
      ...f,
      configuration: { ...f.configuration, ExecutionNamePrefix: 'release' },
    });
    expect(links('stepfunctions.describe-execution', prefixed)[0]!.resource).toBe(
      `arn:aws:states:eu-west-1:${TOOLS}:execution:flow:release-${ID}`,
    );
  });

  it('passes each ECS task role, and is unknown when the task definition is not known', () => {
    const f = facts({
      category: 'Deploy',
      provider: 'ECS',
      configuration: { ClusterName: 'c', ServiceName: 's' },
      ecs: {
        taskDefinitionFamily: 'web',
        passRoleArns: [`arn:aws:iam::${TOOLS}:role/task`, `arn:aws:iam::${TOOLS}:role/exec`],
      },
    });
    expect(links('ecs.pass-role', f).map((l) => [l.resource, l.context])).toEqual([
      [`arn:aws:iam::${TOOLS}:role/task`, { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' }],
      [`arn:aws:iam::${TOOLS}:role/exec`, { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' }],
    ]);
    expect(expandRequirement(get('ecs.pass-role'), facts({ ...f, ecs: undefined }))).toEqual({
      unknown: '`ecs.pass-role`: the roles of the task definition are not known',
      placeholder: 'Ecs.PassRoleArn',
    });
  });

  it('names the placeholder that left an entry unbuilt: the task definition family', () => {
    const f = facts({
      category: 'Deploy',
      provider: 'ECS',
      configuration: { ClusterName: 'c', ServiceName: 's' },
      ecs: { passRoleArns: [`arn:aws:iam::${TOOLS}:role/task`] },
    });
    // what buildChain's unsettledNameOf reads, whatever the reason's words
    const { unknowns } = expandAction(catalog, f);
    expect(
      unknowns
        .filter((u) => u.requirementId.startsWith('ecs.'))
        .map((u) => [u.requirementId, u.placeholder]),
    ).toEqual([
      ['ecs.register-task-definition', 'Ecs.TaskDefinitionFamily'],
      ['ecs.tag-resource', 'Ecs.TaskDefinitionFamily'],
    ]);
  });

  it('tells S3 source from S3 deploy and fills the deploy key', () => {
    const deploy = facts({
      category: 'Deploy',
      provider: 'S3',
      configuration: { BucketName: 'site', Extract: 'true', ObjectKey: 'www/' },
      inputArtifacts: ['BuildArtifact'],
    });
    expect(links('s3-source.get-object', deploy)).toEqual([]);
    expect(links('s3-deploy.put-object', deploy).map((l) => [l.resource, l.context])).toEqual([
      ['arn:aws:s3:::site/www/*', {}],
    ]);
    const source = facts({
      category: 'Source',
      provider: 'S3',
      configuration: { S3Bucket: 'src', S3ObjectKey: 'app.zip', PollForSourceChanges: 'false' },
      outputArtifacts: ['SourceArtifact'],
      eventsRule: {
        arn: `arn:aws:events:eu-west-1:${TOOLS}:rule/r`,
        roleArn: `arn:aws:iam::${TOOLS}:role/events`,
      },
    });
    expect(links('s3-deploy.put-object', source)).toEqual([]);
    expect(triples(links('s3-source.get-object', source))).toEqual([
      's3-source.get-object actionRole s3:GetObject arn:aws:s3:::src/app.zip',
      's3-source.get-object actionRole s3:GetObjectVersion arn:aws:s3:::src/app.zip',
    ]);
    expect(triples(links('trigger.start-pipeline-execution', source))).toEqual([
      `trigger.start-pipeline-execution eventsRuleRole codepipeline:StartPipelineExecution arn:aws:codepipeline:eu-west-1:${TOOLS}:my-application-pipeline-prod`,
    ]);
    // polling sources have no rule
    const polling = facts({
      ...source,
      configuration: { S3Bucket: 'src', S3ObjectKey: 'app.zip' },
    });
    expect(links('trigger.start-pipeline-execution', polling)).toEqual([]);
    // the KMS link of the source object is unknown until the bucket is known
    expect('unknown' in expandRequirement(get('s3-source.kms-decrypt'), source)).toBe(true);
    expect(links('s3-source.kms-decrypt', facts({ ...source, s3Source: {} }))).toEqual([]);
  });

  it('sends both UseConnection actions with the repository context', () => {
    const f = facts({
      category: 'Source',
      provider: 'CodeStarSourceConnection',
      configuration: {
        ConnectionArn: `arn:aws:codestar-connections:eu-west-1:${TOOLS}:connection/abc`,
        FullRepositoryId: 'octo/app',
        BranchName: 'main',
      },
      outputArtifacts: ['SourceArtifact'],
    });
    const a = links('connection.codestar-connections-use-connection', f);
    const b = links('connection.codeconnections-use-connection', f);
    // the repository is certain; AWS does not document the other keys for a source action
    expect(a[0]!.context).toEqual({ 'codestar-connections:FullRepositoryId': 'octo/app' });
    expect(a[0]!.uncertainContext).toEqual({
      'codestar-connections:BranchName': 'main',
      'codestar-connections:OwnerId': 'octo',
      'codestar-connections:ProviderPermissionsRequired': 'read_only',
      'codestar-connections:RepositoryName': 'app',
    });
    expect(Object.keys(a[0]!.unknownContext ?? {})).toEqual([
      'codestar-connections:ProviderAction',
    ]);
    expect(b[0]!.action).toBe('codeconnections:UseConnection');
    expect(b[0]!.resource).toBe(a[0]!.resource);
  });

  it('requires codeconnections:UseConnection on a codeconnections connection, and only recommends it on a codestar-connections one', () => {
    // working pipelines grant the codestar-connections action alone on the older prefix (the
    // entry's note: sam pipeline init, the CDK, the corpus); the docs ask for both on the newer
    const levels = (prefix: string) => {
      const f = facts({
        category: 'Source',
        provider: 'CodeStarSourceConnection',
        configuration: {
          ConnectionArn: `arn:aws:${prefix}:eu-west-1:${TOOLS}:connection/abc`,
          FullRepositoryId: 'octo/app',
          BranchName: 'main',
        },
        outputArtifacts: ['SourceArtifact'],
      });
      return [
        links('connection.codestar-connections-use-connection', f)[0]!.level,
        links('connection.codeconnections-use-connection', f)[0]!.level,
      ];
    };
    expect(levels('codeconnections')).toEqual(['required', 'required']);
    expect(levels('codestar-connections')).toEqual(['required', 'recommended']);
  });

  it('a connection that is not an ARN (`MOCK` in a template): codeconnections:UseConnection is presumed needed, Unknown unless allowed', () => {
    const f = facts({
      category: 'Source',
      provider: 'CodeStarSourceConnection',
      configuration: { ConnectionArn: 'MOCK', FullRepositoryId: 'octo/app', BranchName: 'main' },
      outputArtifacts: ['SourceArtifact'],
    });
    const [link] = links('connection.codeconnections-use-connection', f);
    expect([link!.level, link!.presumed]).toEqual([
      'required',
      'MOCK, a resource of another service prefix than codestar-connections (the value is not an ARN)',
    ]);
    expect(links('connection.codestar-connections-use-connection', f)[0]!.presumed).toBeUndefined();
  });

  it('publishes approvals only when a topic is set', () => {
    const f = facts({ category: 'Approval', provider: 'Manual', configuration: {} });
    expect(links('manual.publish-notification', f)).toEqual([]);
    const topic = `arn:aws:sns:eu-west-1:${TOOLS}:approvals`;
    expect(
      links(
        'manual.publish-notification',
        facts({ ...f, configuration: { NotificationArn: topic } }),
      )[0]!.resource,
    ).toBe(topic);
  });
});

// ---------------------------------------------------------------------------------------------

/** Sample values for placeholders that stand for a whole ARN; any other placeholder becomes `x`. */
const SAMPLE_ARNS: Record<string, string> = {
  ActionRoleArn: 'arn:aws:iam::111111111111:role/x',
  PipelineRoleArn: 'arn:aws:iam::111111111111:role/x',
  'Config.RoleArn': 'arn:aws:iam::111111111111:role/x',
  'CloudFormation.RoleArn': 'arn:aws:iam::111111111111:role/x',
  'StackSet.AdministrationRoleArn': 'arn:aws:iam::111111111111:role/x',
  'Config.ServiceRoleArnOverride': 'arn:aws:iam::111111111111:role/x',
  'CodeBuild.ServiceRoleArn': 'arn:aws:iam::111111111111:role/x',
  'CodeBuild.BatchServiceRoleArn': 'arn:aws:iam::111111111111:role/x',
  'Lambda.FunctionRoleArn': 'arn:aws:iam::111111111111:role/x',
  'EventsRule.RoleArn': 'arn:aws:iam::111111111111:role/x',
  'Ecs.PassRoleArn': 'arn:aws:iam::111111111111:role/x',
  ArtifactKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/x',
  'S3Source.KeyArn': 'arn:aws:kms:eu-west-1:111111111111:key/x',
  'CodeBuild.EncryptionKeyArn': 'arn:aws:kms:eu-west-1:111111111111:key/x',
  'Config.KMSEncryptionKeyARN': 'arn:aws:kms:eu-west-1:111111111111:key/x',
  'S3Deploy.KeyArn': 'arn:aws:kms:eu-west-1:111111111111:key/x',
  'CodeBuild.SubnetArn': 'arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-x',
  'CodeBuild.ParameterArn': 'arn:aws:ssm:eu-west-1:111111111111:parameter/app/x',
  'CodeBuild.SecretArn': 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:app/x-AbCdEf',
  'NotificationTopic.KeyArn': 'arn:aws:kms:eu-west-1:111111111111:key/x',
  'Replication.SourceKeyArn': 'arn:aws:kms:eu-west-1:111111111111:key/x',
  'Replication.TargetKeyArn': 'arn:aws:kms:eu-west-1:111111111111:key/x',
  'CodeBuild.SecurityGroupArn': 'arn:aws:ec2:eu-west-1:111111111111:security-group/sg-x',
  'EksDeploy.SubnetArn': 'arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-x',
  'EksDeploy.SecurityGroupArn': 'arn:aws:ec2:eu-west-1:111111111111:security-group/sg-x',
  'Config.ConnectionArn': 'arn:aws:codestar-connections:eu-west-1:111111111111:connection/x',
  'CloneRef.ConnectionArn': 'arn:aws:codeconnections:eu-west-1:111111111111:connection/x',
  'CloneRef.CodeCommitRepositoryArn': 'arn:aws:codecommit:eu-west-1:111111111111:x',
  'CodeBuild.SecondarySourceRepositoryArn': 'arn:aws:codecommit:eu-west-1:111111111111:x',
  'CodeBuild.SecondarySourceObjectArn': 'arn:aws:s3:::bucket/x.zip',
  'CodeBuild.SecondarySourceConnectionArn':
    'arn:aws:codestar-connections:eu-west-1:111111111111:connection/x',
  'CodeBuild.SecondarySourceSecretArn':
    'arn:aws:secretsmanager:eu-west-1:111111111111:secret:gh-token-AbCdEf',
  'CodeBuild.SecondaryArtifactObjectArn': 'arn:aws:s3:::bucket/*',
  'CodeBuild.SecondaryArtifactAclBucketArn': 'arn:aws:s3:::bucket',
  'CodeBuild.ImageRepositoryArn': 'arn:aws:ecr:eu-west-1:111111111111:repository/x',
  'Config.StateMachineArn': 'arn:aws:states:eu-west-1:111111111111:stateMachine:x',
  'StepFunctions.ExecutionArn': 'arn:aws:states:eu-west-1:111111111111:execution:x:*',
  'Config.NotificationArn': 'arn:aws:sns:eu-west-1:111111111111:x',
  'Lambda.FunctionArn': 'arn:aws:lambda:eu-west-1:111111111111:function:x',
  'LambdaDeploy.FunctionArn': 'arn:aws:lambda:eu-west-1:111111111111:function:x',
  'AppConfig.DeploymentStrategyArn':
    'arn:aws:appconfig:eu-west-1:111111111111:deploymentstrategy/x',
  'LambdaDeploy.AliasArn': 'arn:aws:lambda:eu-west-1:111111111111:function:x:live',
  Partition: 'aws',
};

function sampleResource(template: string): string {
  return template.replace(/\$\{([^}]*)\}/g, (_m, name: string) => SAMPLE_ARNS[name] ?? 'x');
}

/** An ARN template of the AWS catalog as a regex: `${Name}` matches any non-empty text. */
function arnPattern(arn: string): RegExp {
  const parts = arn.split(/\$\{[^}]*\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`);
}
