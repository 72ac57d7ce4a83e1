/**
 * Turn AWS SDK v3 output objects into exactly what the AWS CLI prints for the same call, so a
 * crawled snapshot and one built by hand with the CLI are the same files
 * (/work/shared/snapshot-format.md). Pure functions.
 */

/**
 * AWS CLI v2 prints timestamps as ISO 8601 with a `+00:00` offset and microseconds only when
 * they are not zero (Python's `datetime.isoformat()`); `cli_timestamp_format = iso8601` is the
 * v2 default: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html#cli-config-cli_timestamp_format
 */
export function formatCliTimestamp(date: Date): string {
  const iso = date.toISOString(); // 2024-03-01T09:00:00.123Z
  const ms = date.getUTCMilliseconds();
  const base = iso.slice(0, 19);
  return ms === 0 ? `${base}+00:00` : `${base}.${String(ms * 1000).padStart(6, '0')}+00:00`;
}

/**
 * Recursively: drop the SDK's `$metadata` and undefined members, format dates as the CLI does,
 * sort object keys (JSON key order carries no meaning; sorting makes output byte-stable).
 */
export function toCliJson(value: unknown): unknown {
  if (value instanceof Date) return formatCliTimestamp(value);
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : toCliJson(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (key === '$metadata') continue;
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      out[key] = toCliJson(v);
    }
    return out;
  }
  return value;
}

/** The IAM members that hold policy documents (type `policyDocumentType` in the IAM model). */
const IAM_POLICY_DOCUMENT_KEYS = new Set([
  'AssumeRolePolicyDocument',
  'PolicyDocument',
  'Document',
]);

/**
 * The IAM API returns policy documents URL-encoded (RFC 3986); the AWS CLI decodes them into
 * JSON objects before printing:
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 * ("The policy document returned in this structure is URL-encoded compliant with RFC 3986").
 * A document that does not decode to JSON is kept as the decoded string (readers accept both).
 */
export function decodeIamPolicyDocuments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeIamPolicyDocuments);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] =
        IAM_POLICY_DOCUMENT_KEYS.has(key) && typeof v === 'string'
          ? decodePolicyString(v)
          : decodeIamPolicyDocuments(v);
    }
    return out;
  }
  return value;
}

function decodePolicyString(text: string): unknown {
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // not URL-encoded after all (a stray `%`): keep the text as AWS sent it
  }
  try {
    return JSON.parse(decoded) as unknown;
  } catch {
    return decoded;
  }
}

/** `JSON.stringify` with 2-space indent and a trailing newline: the snapshot file text. */
export function renderJsonFile(value: unknown): string {
  return JSON.stringify(toCliJson(value), null, 2) + '\n';
}
