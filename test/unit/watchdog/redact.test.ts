import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSecretName, redactArgv, redactText } from '../../../src/watchdog/redact';
import { cpuMsPerRun, linearBoundMs } from '../../helpers/cpuTime';

describe('redactArgv', () => {
  it.each([
    [
      ['pytest', '--password', 'hunter2', '-x'],
      ['pytest', '--password', '***', '-x'],
    ],
    [
      ['app', '--token=abc.def', '--db-password=x'],
      ['app', '--token=***', '--db-password=***'],
    ],
    [
      ['app', '--api-key', 'K', '--verbose'],
      ['app', '--api-key', '***', '--verbose'],
    ],
    [
      ['app', '--password', '--verbose'],
      ['app', '--password', '--verbose'],
    ], // no value to hide
    [
      ['env', 'AWS_SECRET_ACCESS_KEY=abc', 'GITHUB_TOKEN=ghp_x', 'DJANGO_SECRET=s', 'PATH=/bin'],
      ['env', 'AWS_SECRET_ACCESS_KEY=***', 'GITHUB_TOKEN=***', 'DJANGO_SECRET=***', 'PATH=/bin'],
    ],
    [
      ['curl', 'https://user:pa:ss@example.com/x?y=1'],
      ['curl', 'https://user:***@example.com/x?y=1'],
    ],
    [
      ['git', 'clone', 'https://user@example.com/r'],
      ['git', 'clone', 'https://user@example.com/r'],
    ],
    [
      ['curl', '-H', 'Authorization: Bearer eyJhbGci'],
      ['curl', '-H', 'Authorization: Bearer ***'],
    ],
    [
      ['curl', '-H', 'Authorization:', 'Basic', 'dXNlcg=='],
      ['curl', '-H', 'Authorization:', 'Basic', '***'],
    ],
    [
      ['psql', 'host=db password=pw user=u'],
      ['psql', 'host=db password=*** user=u'],
    ],
    [
      ['pytest', '-k', 'test_token', 'tests/test_password.py'],
      ['pytest', '-k', 'test_token', 'tests/test_password.py'],
    ],
  ])('%j', (argv, want) => expect(redactArgv(argv)).toEqual(want));

  it('keeps the quotes of a quoted shell line balanced', () => {
    expect(redactText(`sh -c "curl -H 'Authorization: Bearer abc' --token='x y'"`)).toBe(
      // In flat text a quoted value with a space is cut at the space (argv keeps it whole).
      `sh -c "curl -H 'Authorization: Bearer ***' --token='*** y'"`,
    );
    expect(redactText('A_KEY="v"  b')).toBe('A_KEY="***"  b');
  });

  it('secret names', () => {
    for (const name of [
      'password',
      'db_password',
      'PASSWD',
      'token',
      'api-key',
      'apikey',
      'client_secret',
      'pass',
      'SECRET_KEY',
    ])
      expect(isSecretName(name)).toBe(true);
    for (const name of ['path', 'keyfile', 'tokens-per-second', 'passenger', '', 'x'.repeat(65)])
      expect(isSecretName(name)).toBe(false);
  });

  it('never throws, never grows an argv, and is linear: 8x the input is about 8x the CPU time', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 12 }), (argv) => {
        expect(redactArgv(argv)).toHaveLength(argv.length);
      }),
    );
    // CPU time at n and 8n (test/helpers/cpuTime.ts): linear ~8x, quadratic ~64x.
    const text = (n: number): string =>
      'a://b:c@d --password x TOKEN=y '.repeat(n) + ':'.repeat(n * 10) + '/'.repeat(n * 10);
    const small = text(1_000);
    const large = text(8_000);
    redactText(small);
    const tSmall = cpuMsPerRun(() => redactText(small));
    const tLarge = cpuMsPerRun(() => redactText(large));
    expect(tLarge, `n: ${tSmall.toFixed(2)} ms, 8n: ${tLarge.toFixed(2)} ms`).toBeLessThan(
      linearBoundMs(tSmall),
    );
  });
});
