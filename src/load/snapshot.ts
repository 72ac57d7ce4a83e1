/**
 * Load a snapshot folder (the contract: /work/shared/snapshot-format.md) into the model.
 * Every file is optional; what is missing stays unknown (`undefined`), never allowed. Bad files
 * become problems and the rest is still read. Never throws on input.
 */
import { join } from 'node:path';
import { sortProblems, type Problem } from '../problems.js';
import { isAccountId, isRegionName, looksLikeRegionName } from '../model/arn.js';
import type { AccountModel, Model, RegionModel } from '../model/types.js';
import {
  hasEntry,
  isDirectory,
  listDir,
  reportNameCase,
  reportWrongKind,
  sortedMap,
} from './snapshotFiles.js';
import {
  loadIam,
  reportUnlistedManagedPolicies,
  type UnlistedManagedPolicy,
} from './snapshotIam.js';
import { loadOrganization } from './snapshotOrganization.js';
import { loadRegion } from './snapshotRegion.js';
import { loadBuckets, reportBucketCopies } from './snapshotS3.js';
import { SnapshotUnknowns } from './snapshotUnknowns.js';

export function loadSnapshot(dir: string): Model {
  const problems: Problem[] = [];
  if (!isDirectory(dir)) {
    problems.push({
      pointer: '',
      message: `snapshot folder \`${dir}\` does not exist or is not a folder`,
      id: 'snapshot.root.missing',
      severity: 'error',
    });
    return { root: dir, accounts: new Map(), organization: undefined, problems };
  }

  const entries = listDir(dir);
  const accounts = new Map<string, AccountModel>();
  const unknowns = new SnapshotUnknowns();
  // AWS-managed policies an iam.json uses but does not list: settled once every account is read
  const unlisted: UnlistedManagedPolicy[] = [];
  reportNameCase(entries, '', ['organization'], problems);
  for (const e of entries) {
    if (e.isDir && looksLikeAccountId(e.name)) {
      // skipped like any unknown folder, but likely meant as an account: its pipelines and
      // policies would vanish without a word (as a folder that is almost a region, loadAccount)
      problems.push({
        file: e.name,
        pointer: '',
        message: `the folder \`${e.name}\` is not read: its name is not a 12-digit AWS account id`,
        id: 'snapshot.account.unrecognized',
        severity: 'warning',
      });
    }
    if (!isAccountId(e.name)) continue;
    if (e.isDir) accounts.set(e.name, loadAccount(dir, e.name, problems, unknowns, unlisted));
    else reportWrongKind(problems, e.name, true, 'what the account holds');
  }
  reportBucketCopies(accounts, problems);
  reportUnlistedManagedPolicies(accounts, unlisted, problems);
  const orgEntry = entries.find((e) => e.name === 'organization');
  if (orgEntry && !orgEntry.isDir) {
    // a file or a dangling link where the folder should be: there may be an organization, and
    // its guardrails are not known (read like an empty `organization/` folder), never "none"
    problems.push({
      file: 'organization',
      pointer: '',
      message:
        'not a readable folder: whether there is an organization, and its SCPs and RCPs, cannot be known',
      id: 'snapshot.file.unreadable',
      severity: 'error',
    });
  }
  const organization = orgEntry ? loadOrganization(dir, problems) : undefined;

  return {
    root: dir,
    accounts: sortedMap(accounts),
    organization,
    problems: sortProblems(problems),
    // values that could not be read, by the placeholder the model holds instead
    ...(unknowns.values.size > 0 ? { unresolved: sortedMap(unknowns.values) } : {}),
  };
}

/**
 * A folder name that is not an account id (isAccountId: 12 digits) but comes close: digits with
 * only spaces, `-`, `_` or `.` between or around them, 11 to 13 digits in all (`11111111111`, `1111 1111 1111`,
 * `111111111111 `, `1111-1111-1111`), or an account id with something before or after it
 * (`111111111111-old`, `copy of 111111111111`). Such a folder is likely meant as an account.
 */
export function looksLikeAccountId(name: string): boolean {
  if (isAccountId(name) || name.length > 80) return false;
  // 11 to 13 digits once the separators are gone: a date or a version folder (`2024-05-01`,
  // `1.2`) is not taken for an account
  if (/^[\d\s._-]+$/.test(name)) {
    const digits = name.replace(/\D/g, '').length;
    return digits >= 11 && digits <= 13;
  }
  return /^\d{12}(?!\d)/.test(name) || /(?<!\d)\d{12}$/.test(name);
}

function loadAccount(
  root: string,
  account: string,
  problems: Problem[],
  unknowns: SnapshotUnknowns,
  unlisted: UnlistedManagedPolicy[],
): AccountModel {
  const entries = listDir(join(root, account));
  // `IAM.json`, `S3/`: not read, with a warning naming it (a role missing because of it is
  // explained)
  reportNameCase(entries, account, ['iam.json', 's3'], problems);
  // a folder where the contract names a file (or the other way round) is an input error naming
  // it, never read as absent (snapshotFiles.ts: hasEntry)
  const hasIam = hasEntry(
    entries,
    account,
    'iam.json',
    false,
    problems,
    'the roles and policies it holds',
  );
  const hasS3 = hasEntry(entries, account, 's3', true, problems, 'which bucket policies it holds');
  const regions = new Map<string, RegionModel>();
  for (const e of entries) {
    if (!e.isDir && isRegionName(e.name))
      reportWrongKind(problems, `${account}/${e.name}`, true, 'what the region holds');
    else if (e.isDir && isRegionName(e.name))
      regions.set(e.name, loadRegion(root, account, e.name, problems, unknowns));
    else if (e.isDir && looksLikeRegionName(e.name)) {
      // skipped like any unknown folder, but likely meant as a region: its pipelines and
      // resources would vanish without a word
      problems.push({
        file: `${account}/${e.name}`,
        pointer: '',
        message: `the folder \`${e.name}\` is not read: its name is not an AWS region name (like \`us-east-1\`, \`us-gov-west-1\`, \`eusc-de-east-1\`)`,
        id: 'snapshot.region.unrecognized',
        severity: 'warning',
      });
    }
  }
  return {
    id: account,
    iam: hasIam ? loadIam(root, account, problems, unlisted) : undefined,
    buckets: hasS3 ? loadBuckets(root, account, problems) : new Map(),
    regions: sortedMap(regions),
  };
}
