// Pure pieces of diagnosis: fd link classes, basetemp paths, node ids, verdicts, git HEAD.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cpuPercentBetween,
  demandPercentBetween,
  parseSchedstat,
  parseWchan,
  verdictOf,
} from '../../../src/proc/activity';
import { basetempInArgv, basetempOption, findBasetemp, underBasetemp } from '../../../src/proc/basetemp';
import { GitPlaces, parseGitdirFile, parseGitHead, readGitPlace } from '../../../src/proc/gitBranch';
import { isExecnetBootstrap, testsFromArgv } from '../../../src/proc/nodeIds';
import { classifyFdLink, containingDir, isAcceleratorDevice, isUnder } from '../../../src/proc/parseFdLinks';

describe('classifyFdLink', () => {
  it.each([
    ['socket:[12345]', { kind: 'socket', inode: 12345 }],
    ['socket:[x]', { kind: 'other' }],
    ['pipe:[77]', { kind: 'other' }],
    ['anon_inode:[eventfd]', { kind: 'other' }],
    ['/dev/nvidia0', { kind: 'device', path: '/dev/nvidia0' }],
    ['/proc/1/status', { kind: 'other' }],
    ['/repo/db.sqlite', { kind: 'file', path: '/repo/db.sqlite' }],
    ['/repo/db.sqlite (deleted)', { kind: 'file', path: '/repo/db.sqlite' }],
  ])('%s', (link, want) => expect(classifyFdLink(link)).toEqual(want));

  it('accelerators, paths under folders (component boundary), the longest folder', () => {
    expect(
      ['/dev/nvidia0', '/dev/nvidiactl', '/dev/dri/renderD128', '/dev/kfd'].every(isAcceleratorDevice),
    ).toBe(true);
    expect(isAcceleratorDevice('/dev/null')).toBe(false);
    expect(isUnder('/repo/a', '/repo')).toBe(true);
    expect(isUnder('/repo-old/a', '/repo')).toBe(false);
    expect(isUnder('/repo', '/repo/')).toBe(true);
    expect(containingDir('/ws/a/b', ['/ws', '/ws/a', '/x'])).toBe('/ws/a');
  });
});

describe('basetemp', () => {
  it.each([
    [
      '/tmp/pytest-of-dev/pytest-7/test_spawns_a_server0/x.py',
      '/tmp/pytest-of-dev/pytest-7',
      'test_spawns_a_server0',
    ],
    ['/tmp/pytest-of-dev/pytest-7', '/tmp/pytest-of-dev/pytest-7', null],
    ['/var/tmp/x/pytest-of-a b/pytest-current/t0', '/var/tmp/x/pytest-of-a b/pytest-current', 't0'],
    ['/tmp/pytest-of-/pytest-1/t', null, null],
    ['/tmp/pytest-of-dev/pytest-x/t', null, null],
    [
      '/tmp/pytest-of-dev/other/pytest-of-dev/pytest-2/t',
      '/tmp/pytest-of-dev/other/pytest-of-dev/pytest-2',
      't',
    ],
    ['relative/pytest-of-dev/pytest-1', null, null],
  ])('%s', (path, basetemp, testDir) => {
    const m = findBasetemp(path);
    expect(m === null ? [null, null] : [m.basetemp, m.testDir]).toEqual([basetemp, testDir]);
  });

  it('--basetemp directories: the option and paths under them', () => {
    expect(basetempOption(['pytest', '--basetemp', '/work/bt/', 'x'])).toBe('/work/bt');
    expect(basetempOption(['pytest', '--basetemp=/b'])).toBe('/b');
    expect(basetempOption(['pytest', '--basetemp=rel'])).toBeNull();
    expect(underBasetemp('/work/bt/test_a0/f', ['/work/bt'])).toEqual({
      basetemp: '/work/bt',
      testDir: 'test_a0',
    });
    expect(underBasetemp('/work/bt2/x', ['/work/bt'])).toBeNull();
    expect(underBasetemp('/x', ['/'])).toBeNull(); // `--basetemp /` must not claim everything
  });

  it('in argv, also as an option value', () => {
    expect(basetempInArgv(['srv', '--log=/tmp/pytest-of-u/pytest-3/t0/log'], [])?.testDir).toBe('t0');
    expect(basetempInArgv(['srv', '--port', '8'], [])).toBeNull();
  });
});

describe('testsFromArgv', () => {
  it.each([
    [['[pytest-xdist', 'running]', 'tests/a.py::test_x[a', 'b]'], ['tests/a.py::test_x[a b]']],
    [['[pytest-xdist running] tests/a.py::T::test_y'], ['tests/a.py::T::test_y']],
    [['[pytest-xdist idle]'], []],
    [
      ['pytest', '-x', 'tests/a.py::test_x', 'tests/test_b.py', 'tests/'],
      ['tests/a.py::test_x', 'tests/test_b.py'],
    ],
    [['pytest', '--deselect', 'tests/a.py::test_x', '-k', 'test_y.py', 'conftest.py'], []],
    [['python3', 'run.py', 'b_test.py'], ['b_test.py']],
    [['python', '-c', 'import sys;exec(eval(sys.stdin.readline()))'], []],
  ])('%j -> %j', (argv, tests) => expect(testsFromArgv(argv)).toEqual(tests));

  it('recognizes execnet bootstrap workers', () => {
    expect(isExecnetBootstrap(['python', '-c', 'import sys;exec(eval(sys.stdin.readline()))'])).toBe(true);
    expect(isExecnetBootstrap(['python', '-c', 'print(1)'])).toBe(false);
  });
});

describe('activity', () => {
  const at = (cpuTicks: number, atSeconds: number, demandNs: number | null = null) => ({
    cpuTicks,
    atSeconds,
    demandNs,
    quietSinceSeconds: null,
  });

  it.each([
    ['Z', null, null, 'zombie'],
    ['X', 50, null, 'zombie'],
    ['T', 99, null, 'stopped'],
    ['t', 0, null, 'stopped'],
    ['D', 0, null, 'uninterruptible'],
    ['S', null, null, 'unknown'],
    ['R', null, 100, 'unknown'],
    ['R', 95, null, 'spinning'],
    ['R', 30, 98, 'spinning'], // a crowded machine: a third of a core, runnable all the time
    ['R', 30, 40, 'busy'],
    ['S', 5, null, 'busy'],
    ['S', 4.9, null, 'idle'],
    ['I', 0, null, 'idle'],
  ] as const)('state %s, cpu %s, demand %s -> %s', (state, cpu, demand, verdict) => {
    expect(verdictOf(state, cpu, demand)).toBe(verdict);
  });

  it('CPU percent over the interval: 100 = one core; null without an earlier reading or a forward interval', () => {
    expect(cpuPercentBetween(at(100, 10), at(150, 10.5), 100)).toBe(100);
    expect(cpuPercentBetween(at(100, 10), at(400, 11), 100)).toBe(300); // three threads
    expect(cpuPercentBetween(undefined, at(1, 1), 100)).toBeNull();
    expect(cpuPercentBetween(at(1, 5), at(2, 5), 100)).toBeNull();
    expect(cpuPercentBetween(at(9, 1), at(2, 5), 100)).toBeNull();
    expect(demandPercentBetween(at(0, 10, 0), at(0, 11, 9e8))).toBe(90);
    expect(demandPercentBetween(at(0, 10, null), at(0, 11, 9e8))).toBeNull();
  });

  it('parses schedstat and wchan', () => {
    expect(parseSchedstat('5531712 26243405 3\n')).toEqual({ runtimeNs: 5531712, demandNs: 31775117 });
    expect(parseSchedstat('x y')).toBeNull();
    expect(parseSchedstat('1  2 3')).toBeNull();
    expect(parseSchedstat('12')).toBeNull();
    expect(parseSchedstat('')).toBeNull();
    expect(parseWchan('hrtimer_nanosleep')).toBe('hrtimer_nanosleep');
    expect(parseWchan('poll_schedule_timeout.constprop.0')).toBe('poll_schedule_timeout.constprop.0');
    expect(parseWchan('0')).toBeNull();
    expect(parseWchan('a b\u001b[2J')).toBeNull();
  });
});

describe('git HEAD, read as files', () => {
  it.each([
    ['ref: refs/heads/feature/merge-gate\n', 'feature/merge-gate'],
    ['ref: refs/remotes/origin/x\n', 'refs/remotes/origin/x'],
    ['1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d\n', 'detached@1a2b3c4'],
    ['garbage', null],
    ['', null],
  ])('%j -> %s', (text, branch) => expect(parseGitHead(text)).toBe(branch));

  it('gitdir files', () => {
    expect(parseGitdirFile('gitdir: ../.git/worktrees/x\n')).toBe('../.git/worktrees/x');
    expect(parseGitdirFile('nope')).toBeNull();
  });

  it('walks up from cwd; a linked worktree names its folder; a submodule does not', () => {
    const files: Record<string, string> = {
      '/p/repo/.git/HEAD': 'ref: refs/heads/main\n',
      '/p/wt/.git': 'gitdir: /repo/.git/worktrees/wt\n',
      '/p/repo/.git/worktrees/wt/HEAD': 'ref: refs/heads/i11\n',
      '/p/repo/sub/.git': 'gitdir: ../.git/modules/sub\n',
      '/p/repo/.git/modules/sub/HEAD': 'ref: refs/heads/dev\n',
    };
    const read = (path: string): string | null => files[path] ?? null;
    expect(readGitPlace('/repo/a/b', '/p', read)).toEqual({
      branch: 'main',
      worktree: null,
      head: '/repo/.git/HEAD',
    });
    expect(readGitPlace('/wt/src', '/p', read)).toEqual({
      branch: 'i11',
      worktree: '/wt',
      head: '/repo/.git/worktrees/wt/HEAD',
    });
    expect(readGitPlace('/repo/sub/x', '/p', read)).toMatchObject({ branch: 'dev', worktree: null });
    expect(readGitPlace('/elsewhere', '/p', read)).toBeNull();
    expect(readGitPlace('relative', '/p', read)).toBeNull();
  });

  it('remembers where HEAD is: a later lookup reads that one file; a miss is looked at again after a minute', () => {
    const files: Record<string, string> = { '/p/repo/.git/HEAD': 'ref: refs/heads/main\n' };
    const reads: string[] = [];
    const read = (path: string): string | null => (reads.push(path), files[path] ?? null);
    const places = new GitPlaces(read);
    expect(places.lookup('/repo/a', '/p', 0)?.branch).toBe('main');
    reads.length = 0;
    files['/p/repo/.git/HEAD'] = 'ref: refs/heads/other\n';
    expect(places.lookup('/repo/a', '/p', 1)?.branch).toBe('other');
    expect(reads).toEqual(['/p/repo/.git/HEAD']);
    expect(places.lookup('/none', '/p', 1)).toBeNull();
    reads.length = 0;
    expect(places.lookup('/none', '/p', 30)).toBeNull();
    expect(reads).toEqual([]);
    files['/p/none/.git/HEAD'] = 'ref: refs/heads/new\n';
    expect(places.lookup('/none', '/p', 62)?.branch).toBe('new');
  });

  it('never throws on odd HEAD text (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => void parseGitHead(text)));
  });
});
