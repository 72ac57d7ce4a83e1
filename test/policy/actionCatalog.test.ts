import { describe, expect, it } from 'vitest';
import {
  actionAccessLevel,
  actionAccessLevels,
  actionResourceTypes,
  canonicalActionName,
  expandActionPattern,
  isKnownAction,
  isKnownService,
  knownServices,
  matchesKnownService,
} from '../../src/policy/actionCatalog.js';

describe('isKnownService', () => {
  it.each([
    ['s3', true],
    ['S3', true],
    ['codepipeline', true],
    ['kms', true],
    ['sts', true],
    ['nosuchservice', false],
    ['', false],
  ])('%s -> %s', (service, expected) => {
    expect(isKnownService(service)).toBe(expected);
  });

  it('lists services lower-cased and sorted', () => {
    const list = knownServices();
    expect(list.length).toBeGreaterThan(100);
    expect([...list].sort()).toEqual(list);
    expect(list.every((s) => s === s.toLowerCase())).toBe(true);
  });
});

describe('isKnownAction', () => {
  it.each([
    ['s3:GetObject', true],
    ['S3:getobject', true],
    ['codepipeline:StartPipelineExecution', true],
    ['sts:AssumeRole', true],
    ['s3:GetObjectt', false],
    ['nosuchservice:GetObject', false],
    ['GetObject', false],
    [':GetObject', false],
    ['s3:*', false],
    ['*', false],
  ])('%s -> %s', (action, expected) => {
    expect(isKnownAction(action)).toBe(expected);
  });

  it('gives the catalog spelling', () => {
    expect(canonicalActionName('S3:GETOBJECT')).toBe('s3:GetObject');
    expect(canonicalActionName('s3:nope')).toBeUndefined();
  });
});

describe('actionAccessLevel', () => {
  it.each([
    ['s3:GetObject', 'Read'],
    ['s3:PutObject', 'Write'],
    ['s3:ListBucket', 'List'],
    ['s3:ListAllMyBuckets', 'List'],
    // the data lists two levels for these; the first is the specific one
    ['s3:PutBucketPolicy', 'Permissions management'],
    ['s3:PutObjectTagging', 'Tagging'],
    ['s3:nope', undefined],
    ['nope', undefined],
  ])('%s -> %s', (action, expected) => {
    expect(actionAccessLevel(action)).toBe(expected);
  });

  it('keeps every level the data lists', () => {
    expect(actionAccessLevels('s3:PutBucketPolicy')).toEqual(['Permissions management', 'Write']);
    expect(actionAccessLevels('s3:GetObject')).toEqual(['Read']);
    expect(actionAccessLevels('s3:nope')).toEqual([]);
  });
});

describe('expandActionPattern', () => {
  it('expands a name pattern within one service, sorted, in catalog case', () => {
    const got = expandActionPattern('s3:GetObject*');
    expect(got).toContain('s3:GetObject');
    expect(got).toContain('s3:GetObjectAcl');
    expect(got).toContain('s3:GetObjectVersionTagging');
    expect(got.every((a) => a.startsWith('s3:GetObject'))).toBe(true);
    expect([...got].sort()).toEqual(got);
    expect(new Set(got).size).toBe(got.length);
  });

  it('is case-insensitive', () => {
    expect(expandActionPattern('S3:GETOBJECT*')).toEqual(expandActionPattern('s3:getobject*'));
  });

  it('supports ? as one character', () => {
    expect(expandActionPattern('s3:GetObjec?')).toEqual(['s3:GetObject']);
    expect(expandActionPattern('sts:AssumeRol?')).toEqual(['sts:AssumeRole']);
  });

  it('expands a wildcard service prefix', () => {
    expect(expandActionPattern('code*:StartPipelineExecution')).toEqual([
      'codepipeline:StartPipelineExecution',
    ]);
  });

  it('returns the action itself when it has no wildcard and is known', () => {
    expect(expandActionPattern('s3:getobject')).toEqual(['s3:GetObject']);
    expect(expandActionPattern('s3:nope')).toEqual([]);
  });

  it('matches nothing for an unknown service or a value without a colon', () => {
    expect(expandActionPattern('nosuchservice:*')).toEqual([]);
    expect(expandActionPattern('GetObject*')).toEqual([]);
    expect(expandActionPattern('s3:NoSuchPrefix*')).toEqual([]);
  });

  it('expands a whole service', () => {
    const all = expandActionPattern('codepipeline:*');
    expect(all).toContain('codepipeline:PutJobSuccessResult');
    expect(all.length).toBeGreaterThan(20);
  });
});

describe('matchesKnownService', () => {
  it.each([
    ['s3', true],
    ['code*', true],
    ['s?', true],
    ['nosuch*', false],
    ['nosuch', false],
  ])('%s -> %s', (pattern, expected) => {
    expect(matchesKnownService(pattern)).toBe(expected);
  });
});

describe('actionResourceTypes', () => {
  it('lists resource types with their ARN format', () => {
    const types = actionResourceTypes('S3:GetObject');
    expect(types).toBeDefined();
    const object = types!.find((t) => t.name === 'object');
    expect(object).toEqual({
      name: 'object',
      required: false,
      arnFormat: 'arn:${Partition}:s3:::${BucketName}/${ObjectName}',
    });
    expect(actionResourceTypes('s3:PutBucketPolicy')).toEqual([
      { name: 'bucket', required: true, arnFormat: 'arn:${Partition}:s3:::${BucketName}' },
    ]);
  });

  it('returns an empty list for actions that only work with Resource "*"', () => {
    expect(actionResourceTypes('sts:GetCallerIdentity')).toEqual([]);
    expect(actionResourceTypes('s3:ListAllMyBuckets')).toEqual([]);
  });

  it('returns undefined for an unknown action', () => {
    expect(actionResourceTypes('s3:nope')).toBeUndefined();
    expect(actionResourceTypes('nope')).toBeUndefined();
  });
});
