/**
 * The CPUs a container's quota lets this process use, read from its cgroup: `cpu.max` under
 * cgroup v2 (`<quota> <period>` in microseconds, or `max <period>` for none) or
 * `cpu.cfs_quota_us` / `cpu.cfs_period_us` under cgroup v1 (quota -1 for none)
 * (https://docs.kernel.org/admin-guide/cgroup-v2.html#cpu-interface-files,
 * https://docs.kernel.org/scheduler/sched-bwc.html). Node 20's `os.availableParallelism()`
 * counts the CPUs the process may run on, not the quota: a CI container given 2 CPUs of a
 * 64-core host is told 64.
 *
 * The cgroup the process is in, as /proc/self/cgroup names it, and each of its parents up to
 * the mount under /sys/fs/cgroup are read: a parent's quota limits its children too, so the
 * tightest one counts. Undefined when there is no quota or it cannot be read (not Linux, no
 * cgroup files).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function cpuQuota(root = '/'): number | undefined {
  const own = ownCgroups(read(join(root, 'proc/self/cgroup')));
  const fs = join(root, 'sys/fs/cgroup');
  let quota: number | undefined;
  const limit = (q: number | undefined): void => {
    if (q !== undefined && (quota === undefined || q < quota)) quota = q;
  };
  // cgroup v2: one hierarchy, "0::<path>"; a container often sees its own cgroup as the root
  // of the mount, whose cpu.max is read last
  for (const dir of selfAndParents(own.v2 ?? '/')) limit(v2Quota(read(join(fs, dir, 'cpu.max'))));
  // cgroup v1: the cpu controller's own hierarchy, mounted as cpu or cpu,cpuacct
  if (own.cpu !== undefined)
    for (const mount of ['cpu', 'cpu,cpuacct'])
      for (const dir of selfAndParents(own.cpu)) {
        const at = join(fs, mount, dir);
        limit(v1Quota(read(join(at, 'cpu.cfs_quota_us')), read(join(at, 'cpu.cfs_period_us'))));
      }
  return quota;
}

/** `/a/b/c`, `/a/b`, `/a`, `/` */
function selfAndParents(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  const out: string[] = [];
  for (let n = parts.length; n >= 0; n--) out.push('/' + parts.slice(0, n).join('/'));
  return out;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The cgroup paths of /proc/self/cgroup: the v2 one and the v1 cpu controller's. */
function ownCgroups(text: string | undefined): { v2?: string; cpu?: string } {
  const out: { v2?: string; cpu?: string } = {};
  for (const line of (text ?? '').split('\n')) {
    const m = /^\d+:([^:]*):(\/.*)$/.exec(line.trim());
    if (!m) continue;
    const [, controllers, path] = m;
    if (controllers === '') out.v2 = path;
    else if (controllers!.split(',').includes('cpu')) out.cpu = path;
  }
  return out;
}

/** `cpu.max`: "<quota> <period>", or "max <period>" for no limit. */
export function v2Quota(text: string | undefined): number | undefined {
  const m = /^(\d+|max)\s+(\d+)\s*$/.exec(text?.trim() ?? '');
  if (!m || m[1] === 'max') return undefined;
  return cpus(Number(m[1]), Number(m[2]));
}

/** `cpu.cfs_quota_us` (-1 for no limit) and `cpu.cfs_period_us`. */
export function v1Quota(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota?.trim());
  const p = Number(period?.trim());
  if (!Number.isInteger(q) || q <= 0) return undefined;
  return cpus(q, p);
}

/** A quota of 1.5 CPUs lets one thread run without being throttled, and a second only half. */
function cpus(quota: number, period: number): number | undefined {
  if (!Number.isFinite(period) || period <= 0 || quota <= 0) return undefined;
  return Math.max(1, Math.floor(quota / period));
}
