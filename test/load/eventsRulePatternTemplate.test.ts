/**
 * The template twin of the events.json review fixes (test/chain/eventsRuleEventShapes.test.ts):
 * an AWS::Events::Rule whose EventPattern EventBridge would refuse (not JSON, not an object, a
 * value that is not an array) is an input error at the EventPattern, and the links it decides
 * are Unknown naming its line (it was taken as matching: Allowed); a rule on another event bus
 * than the default one, or whose pattern does not hold the documented fields of the source's
 * change events, is no trigger.
 */
import { describe, expect, it } from 'vitest';
import { eventsRuleRole, eventsTriggerLinks } from '../chain/eventsRuleRole.js';

// pipeline `app`: an S3 source (Source/Src, art-bucket-111 src.zip), then a CodeBuild build

const ROLE = eventsRuleRole();

/** A rule with `pattern` (YAML text after `EventPattern: `) targeting the pipeline. */
const rule = (pattern: string, bus?: string): string[] => [
  '  OnChange:',
  '    Type: AWS::Events::Rule',
  '    Properties:',
  '      Name: app-on-change',
  `      EventPattern: ${pattern}`,
  ...(bus ? [`      EventBusName: ${bus}`] : []),
  '      Targets:',
  '        - Id: app',
  '          Arn: !Sub "arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${Pipeline}"',
  '          RoleArn: !GetAtt RuleRole.Arn',
];

function analyze(resources: readonly string[]) {
  const { links, problems, lineOf } = eventsTriggerLinks(resources);
  return {
    triggers: links.map((l) => `${l.decision} ${l.requirement}`).sort(),
    links,
    problems: problems.filter((p) => p.id === 'template.events.pattern-invalid'),
    lineOf,
  };
}

const STARTED = ['Allowed trigger.assume-rule-role', 'Allowed trigger.start-pipeline-execution'];
const UNKNOWN = ['Unknown trigger.assume-rule-role', 'Unknown trigger.start-pipeline-execution'];
const GOOD =
  '{ source: [aws.s3], detail-type: [Object Created], detail: { bucket: { name: [art-bucket-111] } } }';

describe('a template rule', () => {
  it('whose pattern matches the S3 source starts it', () => {
    const { triggers, problems } = analyze([...ROLE, ...rule(GOOD)]);
    expect(problems).toEqual([]);
    expect(triggers).toEqual(STARTED);
  });

  it('whose pattern EventBridge refuses: an input error at it, and its links Unknown naming its line', () => {
    for (const [pattern, says] of [
      ['\'{"source": ["aws.s3"]\'', 'not valid JSON'],
      ['{ source: aws.s3 }', '(at `/source` in the pattern)'],
      ['[aws.s3]', 'is an array, not a JSON object'],
    ] as const) {
      const { triggers, problems, links, lineOf } = analyze([...ROLE, ...rule(pattern)]);
      expect(
        problems.map((p) => [p.pointer, p.severity]),
        pattern,
      ).toEqual([['/Resources/OnChange/Properties/EventPattern', 'error']]);
      expect(problems[0]!.message).toContain(says);
      expect(triggers, pattern).toEqual(UNKNOWN);
      expect(links[0]!.why).toContain(
        'the event pattern of EventBridge rule `app-on-change` could not be read',
      );
      expect(links[0]!.missing!.join(' ')).toContain(`template.yaml:${lineOf('EventPattern:')}`);
    }
  });

  // JSON text writing a member twice, as a snapshot's events.json may
  // (test/load/eventPatternDuplicates.test.ts): JSON.parse kept the last `detail`, which matches,
  // and the trigger read Allowed, though EventBridge may read the first or refuse the pattern
  it('whose JSON text writes a member twice: an input error at it, and its links Unknown', () => {
    const twice =
      '\'{"source":["aws.s3"],"detail-type":["Object Created"],"detail":{"bucket":{"name":["other"]}},"detail":{"bucket":{"name":["art-bucket-111"]}}}\'';
    const { triggers, links } = analyze([...ROLE, ...rule(twice)]);
    expect(triggers).toEqual(UNKNOWN);
    expect(links[0]!.why).toContain(
      'the event pattern of EventBridge rule `app-on-change` could not be read',
    );
  });

  it('on another event bus, or for deleted objects, is no trigger', () => {
    expect(analyze([...ROLE, ...rule(GOOD, 'my-bus')]).triggers).toEqual(UNKNOWN);
    expect(
      analyze([...ROLE, ...rule('{ source: [aws.s3], detail-type: [Object Deleted] }')]).triggers,
    ).toEqual(UNKNOWN);
  });
});
