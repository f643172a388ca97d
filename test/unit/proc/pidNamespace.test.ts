// The container notice is shown only on evidence that the view is partial: a PID 1 that is a
// container entrypoint AND a PID namespace that is not the initial one (markers such as
// /.dockerenv stand in only where the namespace cannot be read).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decidePidNamespace, detectPidNamespace, parseNamespaceLink } from '../../../src/proc/pidNamespace';

describe('decidePidNamespace', () => {
  const base = { pid1Comm: 'tini', initialNamespace: null, containerMarker: false, containerCgroup: false };
  it.each([
    [{ ...base, initialNamespace: false }, true], // docker run (own pid namespace), tini as PID 1
    [{ ...base, pid1Comm: 'bash', initialNamespace: false }, true],
    [{ ...base, pid1Comm: null, initialNamespace: false }, true],
    [{ ...base, pid1Comm: 'systemd', initialNamespace: false }, false], // a foreign host /proc mounted
    [{ ...base, initialNamespace: true, containerMarker: true }, false], // /.dockerenv on a whole-OS VM
    [{ ...base, pid1Comm: 'process_api', initialNamespace: true, containerMarker: true }, false],
    [{ ...base, containerMarker: true }, true], // namespace unreadable: the marker decides
    [{ ...base, containerCgroup: true, pid1Comm: 'bash' }, true],
    [{ ...base, containerMarker: true, pid1Comm: 'systemd' }, false], // --pid=host
    [{ ...base }, false], // no evidence at all
  ])('%j -> isolated %s', (evidence, isolated) => {
    expect(decidePidNamespace(evidence).isolated).toBe(isolated);
  });
});

describe('parseNamespaceLink', () => {
  it.each([
    ['pid:[4026531836]', 4026531836],
    ['pid:[4026532178]\n', 4026532178],
    ['net:[4026531840]', null],
    ['pid:[]', null],
    [null, null],
  ])('%j -> %j', (link, want) => {
    expect(parseNamespaceLink(link)).toBe(want);
  });
});

describe('detectPidNamespace on proc trees', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function tree(files: Record<string, string>, links: Record<string, string>): string {
    dir = mkdtempSync(join(tmpdir(), 'pw-ns-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    for (const [path, target] of Object.entries(links)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      symlinkSync(target, join(dir, path));
    }
    return dir;
  }

  it('a container with its own pid namespace: tini as PID 1, no kthreadd, a nested ns', async () => {
    const root = tree({ 'proc/1/comm': 'tini\n' }, { 'proc/self/ns/pid': 'pid:[4026532178]' });
    const v = await detectPidNamespace(join(root, 'proc'), root);
    expect(v.evidence).toMatchObject({ pid1Comm: 'tini', initialNamespace: false });
    expect(v.isolated).toBe(true);
  });

  it('an image with /.dockerenv that runs a whole OS: kthreadd is visible, so not partial', async () => {
    const root = tree(
      { 'proc/1/comm': 'process_api\n', 'proc/2/comm': 'kthreadd\n', '.dockerenv': '' },
      { 'proc/self/ns/pid': 'pid:[4026532178]' },
    );
    const v = await detectPidNamespace(join(root, 'proc'), root);
    expect(v.evidence).toMatchObject({ initialNamespace: true, containerMarker: true });
    expect(v.isolated).toBe(false);
  });

  it('nothing readable but /.dockerenv: the marker stands in', async () => {
    const root = tree({ '.dockerenv': '', 'proc/1/comm': 'node\n' }, {});
    const v = await detectPidNamespace(join(root, 'proc'), root);
    expect(v.evidence.initialNamespace).toBeNull();
    expect(v.isolated).toBe(true);
  });

  it('this machine agrees with its own namespace link', async () => {
    const v = await detectPidNamespace();
    if (v.evidence.initialNamespace === true) expect(v.isolated).toBe(false);
  });
});
