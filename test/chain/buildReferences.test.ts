/**
 * CodeBuild reads PARAMETER_STORE and SECRETS_MANAGER environment variables (and a private
 * registry credential) with the project's service role before the build starts
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html,
 * https://docs.aws.amazon.com/codebuild/latest/userguide/sample-private-registry.html). Each case
 * is an edit of the all-providers scenario, whose `platform-web-build` project reads the parameter
 * `/platform/web/api-url` and the secret `platform/npm-token-Xy12Ab` (by ARN), and whose build
 * role allows `parameter/platform/web/*` and `secret:platform/npm-token-*`.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const A = '111111111111';
const CODEBUILD = `${A}/us-east-1/codebuild.json`;
const PIPELINE = `${A}/us-east-1/codepipeline/platform-web.json`;
const IAM = `${A}/iam.json`;
const SECRETS = `arn:aws:secretsmanager:us-east-1:${A}:secret`;
const PARAMETERS = `arn:aws:ssm:us-east-1:${A}:parameter`;

interface Variable {
  name: string;
  value?: string;
  type?: string;
}

/** The parameter and secret links of the web build, as `decision resource`, after `edit`. */
function links(edit: (dir: string) => void): { text: string[]; missing: string[] } {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] }).pipelines[0]!;
    // the secret of a secondary source's auth is a link of its own (secondarySecrets.test.ts)
    const found = p.links.filter(
      (l) =>
        /^(ssm|secretsmanager):/.test(l.permission) &&
        l.requirement !== 'codebuild-project.secondary-source-secret',
    );
    return {
      text: found.map((l) => `${l.decision} ${l.resource}`),
      missing: found.flatMap((l) => l.missing ?? []),
    };
  });
}

function projectVariables(dir: string, vars: Variable[]): void {
  editJson(join(dir, CODEBUILD), (doc) => {
    const project = (doc['projects'] as Json[]).find((p) => p['name'] === 'platform-web-build')!;
    (project['environment'] as Json)['environmentVariables'] = vars;
  });
}

function actionVariables(dir: string, vars: Variable[]): void {
  editJson(join(dir, PIPELINE), (doc) => {
    const stages = (doc['pipeline'] as Json)['stages'] as { actions: Json[] }[];
    const build = stages.flatMap((s) => s.actions).find((a) => a['name'] === 'Build')!;
    (build['configuration'] as Json)['EnvironmentVariables'] = JSON.stringify(vars);
  });
}

/** Set the Resource of the build role's statement `sid`. */
function grant(dir: string, sid: string, resource: string | undefined): void {
  editJson(join(dir, IAM), (doc) => {
    for (const role of doc['RoleDetailList'] as Json[]) {
      for (const p of (role['RolePolicyList'] as Json[] | undefined) ?? []) {
        const d = p['PolicyDocument'] as { Statement: Json[] };
        const i = d.Statement.findIndex((s) => s['Sid'] === sid);
        if (i < 0) continue;
        if (resource === undefined) d.Statement.splice(i, 1);
        else d.Statement[i]!['Resource'] = resource;
      }
    }
  });
}

describe('parameters and secrets a CodeBuild project reads', () => {
  it('are read with the project role: ssm:GetParameters and secretsmanager:GetSecretValue', () => {
    expect(links(() => {}).text).toEqual([
      `Allowed ${PARAMETERS}/platform/web/api-url`,
      `Allowed ${SECRETS}:platform/npm-token-Xy12Ab`,
    ]);
    const denied = links((dir) => {
      grant(dir, 'BuildParameters', undefined);
      grant(dir, 'BuildSecrets', undefined);
    });
    expect(denied.text).toEqual([
      `ImplicitlyDenied ${PARAMETERS}/platform/web/api-url`,
      `ImplicitlyDenied ${SECRETS}:platform/npm-token-Xy12Ab`,
    ]);
  });

  it('follow the action: it overrides a variable by name and adds its own', () => {
    const { text } = links((dir) =>
      actionVariables(dir, [
        { name: 'API_URL', value: '<redacted by permchain>', type: 'PLAINTEXT' },
        { name: 'FLAGS', value: 'platform-web-flags', type: 'PARAMETER_STORE' },
      ]),
    );
    // FLAGS has no leading slash; the parameter ARN then has none to drop
    expect(text).toEqual([
      `ImplicitlyDenied ${PARAMETERS}/platform-web-flags`,
      `Allowed ${SECRETS}:platform/npm-token-Xy12Ab`,
    ]);
  });

  it('are checked on the parameter itself when a version or label selects a value of it', () => {
    const { text } = links((dir) =>
      actionVariables(dir, [
        { name: 'A', value: 'platform-web-flags:3', type: 'PARAMETER_STORE' },
        { name: 'B', value: '/platform/web/api-url:prod', type: 'PARAMETER_STORE' },
        { name: 'C', value: `${PARAMETERS}/platform/web/other:7`, type: 'PARAMETER_STORE' },
      ]),
    );
    expect(text).toEqual([
      `Allowed ${PARAMETERS}/platform/web/api-url`,
      `Allowed ${PARAMETERS}/platform/web/other`,
      `ImplicitlyDenied ${PARAMETERS}/platform-web-flags`,
      `Allowed ${SECRETS}:platform/npm-token-Xy12Ab`,
    ]);
  });

  it('include the private registry credential', () => {
    const { text } = links((dir) => {
      projectVariables(dir, []);
      editJson(join(dir, CODEBUILD), (doc) => {
        const project = (doc['projects'] as Json[]).find(
          (p) => p['name'] === 'platform-web-build',
        )!;
        (project['environment'] as Json)['registryCredential'] = {
          credential: `${SECRETS}:dockerhub-AbCdEf`,
          credentialProvider: 'SECRETS_MANAGER',
        };
      });
    });
    expect(text).toEqual([`ImplicitlyDenied ${SECRETS}:dockerhub-AbCdEf`]);
  });

  it('are Unknown when the action sets them with a CodePipeline variable, naming its place', () => {
    const { text, missing } = links((dir) =>
      actionVariables(dir, [
        { name: 'API_URL', value: '/#{variables.Stage}/api-url', type: 'PARAMETER_STORE' },
      ]),
    );
    expect(text).toEqual([
      'Unknown the Parameter Store parameters the build reads (not known)',
      'Unknown the Secrets Manager secrets the build reads (not known)',
    ]);
    expect(missing.length).toBeGreaterThan(0);
    for (const m of missing) expect(m).toMatch(/platform-web\.json#.*EnvironmentVariables/);
  });

  it('check a secret given by a partial ARN (no six characters) on its full ARN', () => {
    const partial = (dir: string): void =>
      projectVariables(dir, [
        {
          name: 'NPM_TOKEN',
          value: `${SECRETS}:platform/npm-token:token::`,
          type: 'SECRETS_MANAGER',
        },
      ]);
    // the policy names the secret without the suffix: IAM matches the full ARN, so it does not
    const exact = links((dir) => {
      partial(dir);
      grant(dir, 'BuildSecrets', `${SECRETS}:platform/npm-token`);
    });
    expect(exact.text).toEqual([`ImplicitlyDenied ${SECRETS}:platform/npm-token-??????`]);
    const recommended = links((dir) => {
      partial(dir);
      grant(dir, 'BuildSecrets', `${SECRETS}:platform/npm-token-??????`);
    });
    expect(recommended.text).toEqual([`Allowed ${SECRETS}:platform/npm-token-??????`]);
  });

  it('of another account are Unknown: their resource policies are in no snapshot', () => {
    const { text, missing } = links((dir) => {
      projectVariables(dir, [
        {
          name: 'SHARED',
          value: 'arn:aws:ssm:us-east-1:222222222222:parameter/shared/x',
          type: 'PARAMETER_STORE',
        },
        {
          name: 'DB',
          value: 'arn:aws:secretsmanager:us-east-1:222222222222:secret:shared/db-AbCdEf:password::',
          type: 'SECRETS_MANAGER',
        },
      ]);
      grant(dir, 'BuildParameters', '*');
      grant(dir, 'BuildSecrets', '*');
    });
    expect(text).toEqual([
      'Unknown arn:aws:ssm:us-east-1:222222222222:parameter/shared/x',
      'Unknown arn:aws:secretsmanager:us-east-1:222222222222:secret:shared/db-AbCdEf',
    ]);
    expect(missing).toEqual([
      'the resource policy of `arn:aws:ssm:us-east-1:222222222222:parameter/shared/x` (a snapshot holds none)',
      'the resource policy of `arn:aws:secretsmanager:us-east-1:222222222222:secret:shared/db-AbCdEf` (a snapshot holds none)',
    ]);
  });

  it('of another account are denied when the build role itself does not allow them', () => {
    // across accounts both sides must allow: the missing resource policy cannot change that
    const { text } = links((dir) =>
      projectVariables(dir, [
        {
          name: 'DB',
          value: 'arn:aws:secretsmanager:us-east-1:222222222222:secret:shared/db-AbCdEf',
          type: 'SECRETS_MANAGER',
        },
      ]),
    );
    expect(text).toEqual([
      'ImplicitlyDenied arn:aws:secretsmanager:us-east-1:222222222222:secret:shared/db-AbCdEf',
    ]);
  });

  describe('a secret named by name (its ARN ends in six characters the input does not give)', () => {
    const byName = (dir: string): void =>
      projectVariables(dir, [
        { name: 'NPM_TOKEN', value: 'platform/npm-token:token::', type: 'SECRETS_MANAGER' },
      ]);

    it('is allowed by a pattern that covers any suffix', () => {
      expect(links(byName).text).toEqual([`Allowed ${SECRETS}:platform/npm-token-??????`]);
    });

    it('is Unknown when a policy names it with a suffix of its own', () => {
      const { text, missing } = links((dir) => {
        byName(dir);
        grant(dir, 'BuildSecrets', `${SECRETS}:platform/npm-token-Xy12Ab`);
      });
      expect(text).toEqual([`Unknown ${SECRETS}:platform/npm-token-??????`]);
      expect(missing).toEqual([
        "the full ARN of secret `platform/npm-token` (it is named without the six characters AWS appends to a secret's ARN)",
      ]);
    });

    it('is denied when no policy could allow it', () => {
      const { text } = links((dir) => {
        byName(dir);
        grant(dir, 'BuildSecrets', `${SECRETS}:other-secret-Xy12Ab`);
      });
      expect(text).toEqual([`ImplicitlyDenied ${SECRETS}:platform/npm-token-??????`]);
    });
  });
});
