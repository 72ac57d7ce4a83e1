/**
 * A stacks-file parameter that names another stack's output or resource: a stack, output or
 * resource that is not there is a typo in the stacks file, an input error at its pointer (exit
 * 2), whether or not the template uses the parameter; the value is unknown where it is used.
 */
import { describe, expect, it } from 'vitest';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadStacksFile } from '../../../src/load/stacks.js';

const DIR = 'test/load/templates/fixtures/stack-refs';

describe('references of a stacks file to other stacks', () => {
  const { model, problems } = loadStacksFile(`${DIR}/stacks.yaml`, {
    managedPolicies: noManagedPolicies,
  });

  it('a missing stack, output or resource is an error at the stacks-file pointer', () => {
    const errors = problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => [p.id, p.file, p.pointer])).toEqual([
      [
        'stacks.parameter.output-unknown',
        `${DIR}/stacks.yaml`,
        '/stacks/1/parameters/BadOutput/output',
      ],
      [
        'stacks.parameter.resource-unknown',
        `${DIR}/stacks.yaml`,
        '/stacks/1/parameters/BadResource/resource',
      ],
      [
        'stacks.parameter.stack-unknown',
        `${DIR}/stacks.yaml`,
        '/stacks/1/parameters/BadStack/fromStack',
      ],
      [
        'stacks.parameter.output-unknown',
        `${DIR}/stacks.yaml`,
        '/stacks/1/parameters/Unused/output',
      ],
    ]);
    expect(errors[0]!.message).toBe(
      'stack `imp`, parameter `BadOutput`: stack `exp` has no output `RoleARN`',
    );
  });

  it('a reference that is there resolves; one that is not leaves its use unknown', () => {
    const topics = [
      ...model.accounts.get('111111111111')!.regions.get('us-east-1')!.snsTopics.keys(),
    ];
    expect(topics).toContain('t-exported');
    expect(topics.filter((t) => t !== 't-exported').every((t) => t.startsWith('unresolved-'))).toBe(
      true,
    );
    expect(
      problems.some(
        (p) =>
          p.id === 'template.value.unresolved' &&
          p.pointer.startsWith('/Resources/Other/Properties/TopicName'),
      ),
    ).toBe(true);
  });
});
