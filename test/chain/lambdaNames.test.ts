/**
 * A Lambda invoke action's FunctionName may be a name, a name with a version or alias, a partial
 * ARN or a full ARN (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html): the function
 * (and its role) is the snapshot's `lambda/<name>.json` in each case, and the invoked resource is
 * the qualified ARN. Each case edits the pass-with-lambda-invoke scenario.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { inScenarioCopy } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-with-lambda-invoke';
const PIPELINE = '111111111111/us-east-1/codepipeline/orders-api.json';
const FN = 'arn:aws:lambda:us-east-1:111111111111:function:orders-api-smoke-test';

/** The smoke test's links as `permission decision resource`, with FunctionName set to `name`. */
function smokeLinks(name: string, edit: (dir: string) => void = () => {}): string[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    const file = join(dir, PIPELINE);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '"FunctionName": "orders-api-smoke-test"',
        `"FunctionName": ${JSON.stringify(name)}`,
      ),
    );
    const p = analyzeModel(loadSnapshot(dir)).pipelines[0]!;
    return p.links
      .filter((l) => l.requirement.startsWith('lambda.'))
      .map((l) => `${l.permission} ${l.decision} ${l.resource}`);
  });
}

describe('a Lambda action naming its function', () => {
  const plain = smokeLinks('orders-api-smoke-test');

  it('by name: the function is found and nothing is Unknown', () => {
    expect(plain.length).toBeGreaterThan(1);
    expect(plain.filter((l) => l.includes(' Unknown '))).toEqual([]);
    expect(plain).toContain(`lambda:InvokeFunction Allowed ${FN}`);
  });

  it('with an alias, as a partial ARN or as a qualified ARN: the same function and role', () => {
    // the role may invoke the unqualified function only: Lambda authorizes a qualified invoke on
    // the qualified ARN, and the alias's own policy (which could allow it) is in no snapshot
    for (const [name, invoked, decision] of [
      ['orders-api-smoke-test:live', `${FN}:live`, 'Unknown'],
      ['111111111111:function:orders-api-smoke-test', FN, 'Allowed'],
      [`${FN}:live`, `${FN}:live`, 'Unknown'],
    ] as const) {
      const links = smokeLinks(name);
      // the links that do not depend on the qualifier are what they are for the plain name
      const others = (xs: string[]): string[] => xs.filter((l) => !l.startsWith('lambda:Invoke'));
      expect({ name, links: others(links) }).toEqual({ name, links: others(plain) });
      expect(links.find((l) => l.startsWith('lambda:InvokeFunction'))).toBe(
        `lambda:InvokeFunction ${decision} ${invoked}`,
      );
    }
  });

  it("in another account, by alias: Unknown, since the alias's own policy is in no snapshot", () => {
    const OTHER = 'arn:aws:lambda:us-east-1:222222222222:function:orders-api-smoke-test';
    // the function in the other account, its (unqualified) policy allowing the pipeline role
    const inOtherAccount = (dir: string): void => {
      const from = join(dir, '111111111111/us-east-1/lambda/orders-api-smoke-test.json');
      const fn = JSON.parse(readFileSync(from, 'utf8')) as Record<string, Record<string, unknown>>;
      fn['Configuration']!['FunctionArn'] = OTHER;
      const policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '111111111111' },
            Action: 'lambda:InvokeFunction',
            Resource: OTHER,
          },
        ],
      };
      const to = join(dir, '222222222222/us-east-1/lambda');
      mkdirSync(to, { recursive: true });
      writeFileSync(
        join(to, 'orders-api-smoke-test.json'),
        JSON.stringify({ ...fn, Policy: JSON.stringify(policy) }),
      );
      const iam = join(dir, '111111111111/iam.json');
      writeFileSync(
        iam,
        readFileSync(iam, 'utf8').replaceAll(`"${FN}"`, '"arn:aws:lambda:us-east-1:*:function:*"'),
      );
    };
    const invoke = (links: string[]): string | undefined =>
      links.find((l) => l.startsWith('lambda:InvokeFunction'));
    expect(invoke(smokeLinks(OTHER, inOtherAccount))).toBe(
      `lambda:InvokeFunction Allowed ${OTHER}`,
    );
    expect(invoke(smokeLinks(`${OTHER}:live`, inOtherAccount))).toBe(
      `lambda:InvokeFunction Unknown ${OTHER}:live`,
    );
  });
});
