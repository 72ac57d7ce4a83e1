/**
 * The KMS operations that work on a key of another account. "Cross-account permission is
 * effective only for the following operations: Cryptographic operations, CreateGrant,
 * DescribeKey, GetKeyRotationStatus, GetPublicKey, ListGrants, RetireGrant, RevokeGrant", and "If
 * you give a user in a different account permission for other operations, those permissions have
 * no effect" (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html).
 *
 * The cryptographic operations are those in the table on
 * https://docs.aws.amazon.com/kms/latest/developerguide/kms-cryptography.html#cryptographic-operations.
 * ReEncrypt is authorized as kms:ReEncryptFrom and kms:ReEncryptTo
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html); GenerateRandom uses
 * no key, so it is never a request on a key.
 */

/** The link to cite when a cross-account KMS operation is refused. */
export const KMS_CROSS_ACCOUNT_DOC =
  'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html';

/** Lower-cased, as the evaluator matches actions. */
const CROSS_ACCOUNT_ACTIONS: ReadonlySet<string> = new Set(
  [
    // cryptographic operations
    'Decrypt',
    'DeriveSharedSecret',
    'Encrypt',
    'GenerateDataKey',
    'GenerateDataKeyPair',
    'GenerateDataKeyPairWithoutPlaintext',
    'GenerateDataKeyWithoutPlaintext',
    'GenerateMac',
    'ReEncryptFrom',
    'ReEncryptTo',
    'Sign',
    'Verify',
    'VerifyMac',
    // the other operations the page lists
    'CreateGrant',
    'DescribeKey',
    'GetKeyRotationStatus',
    'GetPublicKey',
    'ListGrants',
    'RetireGrant',
    'RevokeGrant',
  ].map((a) => `kms:${a.toLowerCase()}`),
);

/** Does this lower-cased `kms:` action work on a key (or alias) of another account? */
export function kmsWorksAcrossAccounts(actionLower: string): boolean {
  return CROSS_ACCOUNT_ACTIONS.has(actionLower);
}
