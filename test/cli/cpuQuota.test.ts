import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cpuQuota, v1Quota, v2Quota } from '../../src/cli/cpuQuota.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** a fake root holding the given files */
function root(files: Record<string, string>): string {
  const r = mkdtempSync(join(tmpdir(), 'permchain-cgroup-'));
  roots.push(r);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(r, path)), { recursive: true });
    writeFileSync(join(r, path), text);
  }
  return r;
}

describe('cpuQuota', () => {
  it('reads cgroup v2 cpu.max of the cgroup /proc/self/cgroup names', () => {
    const r = root({
      'proc/self/cgroup': '0::/ci/job-7\n',
      'sys/fs/cgroup/ci/job-7/cpu.max': '200000 100000\n',
      // the root's own file is not the process's cgroup
      'sys/fs/cgroup/cpu.max': 'max 100000\n',
    });
    expect(cpuQuota(r)).toBe(2);
  });

  it("a parent's tighter quota counts: the tightest on the way up", () => {
    const r = root({
      'proc/self/cgroup': '0::/ci/job-7/step\n',
      'sys/fs/cgroup/ci/job-7/step/cpu.max': 'max 100000\n',
      'sys/fs/cgroup/ci/job-7/cpu.max': '400000 100000\n',
      'sys/fs/cgroup/ci/cpu.max': '100000 100000\n',
    });
    expect(cpuQuota(r)).toBe(1);
    const v1 = root({
      'proc/self/cgroup': '4:cpu:/docker/abc\n',
      'sys/fs/cgroup/cpu/docker/abc/cpu.cfs_quota_us': '-1\n',
      'sys/fs/cgroup/cpu/docker/abc/cpu.cfs_period_us': '100000\n',
      'sys/fs/cgroup/cpu/docker/cpu.cfs_quota_us': '200000\n',
      'sys/fs/cgroup/cpu/docker/cpu.cfs_period_us': '100000\n',
    });
    expect(cpuQuota(v1)).toBe(2);
  });

  it('falls back to the mount root, as a container sees its own cgroup', () => {
    const r = root({
      'proc/self/cgroup': '0::/\n',
      'sys/fs/cgroup/cpu.max': '150000 100000\n',
    });
    // 1.5 CPUs: one thread runs unthrottled
    expect(cpuQuota(r)).toBe(1);
  });

  it('reads cgroup v1 cfs quota and period of the cpu controller', () => {
    const r = root({
      'proc/self/cgroup': '12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n',
      'sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us': '300000\n',
      'sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us': '100000\n',
    });
    expect(cpuQuota(r)).toBe(3);
  });

  it('is undefined with no quota or no cgroup files', () => {
    expect(cpuQuota(root({}))).toBeUndefined();
    expect(
      cpuQuota(root({ 'proc/self/cgroup': '0::/a\n', 'sys/fs/cgroup/a/cpu.max': 'max 100000\n' })),
    ).toBeUndefined();
    expect(
      cpuQuota(
        root({
          'proc/self/cgroup': '3:cpu:/b\n',
          'sys/fs/cgroup/cpu/b/cpu.cfs_quota_us': '-1\n',
          'sys/fs/cgroup/cpu/b/cpu.cfs_period_us': '100000\n',
        }),
      ),
    ).toBeUndefined();
  });

  it('never says less than one CPU, and ignores what it cannot read', () => {
    expect(v2Quota('50000 100000')).toBe(1);
    expect(v2Quota('garbage')).toBeUndefined();
    expect(v2Quota('100000 0')).toBeUndefined();
    expect(v1Quota('abc', '100000')).toBeUndefined();
    expect(v1Quota('100000', undefined)).toBeUndefined();
    expect(v1Quota('400000', '100000')).toBe(4);
  });
});
