// ensureDebianPackages: dpkg-query first, one apt-get update + one install of what is missing,
// and without root ONE line with the exact sudo command and nothing run (issue 7).
import { beforeAll, describe, expect, it } from 'vitest';
import type * as DebianModule from '../../../scripts/realhost/debian.mjs' with {
  'resolution-mode': 'import',
};

// A dynamic import: this file is CommonJS to TypeScript, the script an ES module.
let debian: typeof DebianModule;
beforeAll(async () => {
  debian = await import('../../../scripts/realhost/debian.mjs');
});

function fakeApt(installedAtStart: string[], installs = true) {
  const installed = new Set(installedAtStart);
  const calls: string[][] = [];
  return {
    calls,
    deps: {
      installed: (name: string) => installed.has(name),
      apt: async (args: string[]) => {
        calls.push(args);
        if (installs && args[0] === 'install') for (const n of args.slice(3)) installed.add(n);
      },
    },
  };
}

describe('ensureDebianPackages', () => {
  it('the suite needs the browser, the code-server build headers, pytest with xdist and Prometheus', () => {
    expect([...debian.DEBIAN_PACKAGES].sort()).toEqual(
      [
        'chromium',
        'libkrb5-dev',
        'prometheus',
        'prometheus-alertmanager',
        'python3-pytest',
        'python3-pytest-xdist',
        'python3-setproctitle',
      ].sort(),
    );
  });

  it('runs nothing when everything is installed', async () => {
    const { calls, deps } = fakeApt(['a', 'b']);
    await debian.ensureDebianPackages(['a', 'b'], () => {}, { ...deps, isRoot: () => false });
    expect(calls).toEqual([]);
  });

  it('as root: one update, then one install of only the missing ones, without recommends', async () => {
    const { calls, deps } = fakeApt(['a']);
    await debian.ensureDebianPackages(['a', 'b', 'c'], () => {}, { ...deps, isRoot: () => true });
    expect(calls).toEqual([['update'], ['install', '-y', '--no-install-recommends', 'b', 'c']]);
  });

  it('without root: one line naming the exact sudo command, and apt is never run', async () => {
    const { calls, deps } = fakeApt(['a']);
    const error = await debian
      .ensureDebianPackages(['a', 'b', 'c'], () => {}, {
        ...deps,
        isRoot: () => false,
      })
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(error?.message.split('\n')).toHaveLength(1);
    expect(error?.message).toContain('sudo apt-get install -y --no-install-recommends b c');
    expect(calls).toEqual([]);
  });

  it('fails when apt-get reported success but a package is still missing', async () => {
    const { deps } = fakeApt([], false);
    await expect(
      debian.ensureDebianPackages(['a'], () => {}, { ...deps, isRoot: () => true }),
    ).rejects.toThrow(/did not install a/);
  });
});
