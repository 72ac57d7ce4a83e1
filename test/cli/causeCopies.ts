/**
 * Copies of the demo fixture where the demo's one broken link (BROKEN: the prod role may not
 * decrypt the artifact key) keeps its link id and its decision, ImplicitlyDenied, for another
 * cause: another policy denies it, or it is on another key. For the tests of baselines and diffs
 * that must tell them apart.
 */
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addKeyStatement, KEY_FILE, type TempFolders } from './demoCopy.js';

const KEY_ID = '0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10';
const NEW_ID = '99999999-4c1f-4d0a-9d47-6f2f3e1a9c10';
/** the demo's artifact key */
export const KEY = `arn:aws:kms:us-east-1:111111111111:key/${KEY_ID}`;
/** the key of onAnotherKey() */
export const NEW_KEY = `arn:aws:kms:us-east-1:111111111111:key/${NEW_ID}`;
/** the prod deploy action's role: the principal of BROKEN */
export const ROLE = 'arn:aws:iam::222222222222:role/demo-deploy-action';
/** its inline policy, as deniedBy names it */
export const ROLE_POLICY = `${ROLE} (inline: demo-deploy-action-policy)`;

export function causeCopies(folders: Pick<TempFolders, 'demoCopy'>): {
  deniedByRolePolicy: () => string;
  onAnotherKey: () => string;
} {
  return {
    /**
     * The key policy lets the prod role decrypt, and the role's own policy no longer allows
     * kms:Decrypt: BROKEN is still ImplicitlyDenied, now by the role's identity policy.
     */
    deniedByRolePolicy: () => {
      const dir = folders.demoCopy('cause-role');
      addKeyStatement(dir, {
        Sid: 'ProdDeploy',
        Effect: 'Allow',
        Principal: { AWS: ROLE },
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: '*',
      });
      const iam = join(dir, '222222222222/iam.json');
      const text = readFileSync(iam, 'utf8');
      const without = text.replace(/"kms:Decrypt",\s*("kms:DescribeKey")/, '$1');
      if (without === text) throw new Error('the demo role policy no longer lists kms:Decrypt');
      writeFileSync(iam, without);
      return dir;
    },
    /**
     * Every use of the artifact key moved to another key, whose policy does not allow the prod
     * role either: BROKEN is ImplicitlyDenied on NEW_KEY, by its key policy.
     */
    onAnotherKey: () => {
      const dir = folders.demoCopy('cause-key');
      const walk = (d: string): void => {
        for (const name of readdirSync(d)) {
          const path = join(d, name);
          if (statSync(path).isDirectory()) walk(path);
          else writeFileSync(path, readFileSync(path, 'utf8').replaceAll(KEY_ID, NEW_ID));
        }
      };
      walk(dir);
      renameSync(join(dir, KEY_FILE), join(dir, KEY_FILE.replace(KEY_ID, NEW_ID)));
      return dir;
    },
  };
}
