import { describe, expect, it } from 'vitest';
import { decideLeadership, parseLease } from '../../../src/coordination/leaderElection';

const STALE_MS = 90_000;
const NOW = 1_700_000_000_000;

describe('decideLeadership', () => {
  it.each([
    ['no lease: lead', null, { kind: 'lead', takeover: false }],
    [
      'my own lease, even an old one: lead (renew)',
      { ownerId: 'me', heartbeatMs: NOW - 10 * STALE_MS },
      { kind: 'lead', takeover: false },
    ],
    [
      'a fresh foreign lease: follow',
      { ownerId: 'other', heartbeatMs: NOW - 1_000 },
      { kind: 'follow', ownerId: 'other' },
    ],
    [
      'foreign lease exactly staleMs old: still follow',
      { ownerId: 'other', heartbeatMs: NOW - STALE_MS },
      { kind: 'follow', ownerId: 'other' },
    ],
    [
      'foreign lease just past staleMs: take over',
      { ownerId: 'other', heartbeatMs: NOW - STALE_MS - 1 },
      { kind: 'lead', takeover: true },
    ],
    [
      'foreign lease slightly in the future (clock skew): follow',
      { ownerId: 'other', heartbeatMs: NOW + 5_000 },
      { kind: 'follow', ownerId: 'other' },
    ],
    [
      'foreign lease far in the future (wall clock jumped back): take over',
      { ownerId: 'other', heartbeatMs: NOW + STALE_MS + 1 },
      { kind: 'lead', takeover: true },
    ],
  ] as const)('%s', (_name, lease, expected) => {
    expect(decideLeadership(lease, 'me', NOW, STALE_MS)).toEqual(expected);
  });
});

describe('parseLease', () => {
  it('reads a written lease', () => {
    expect(parseLease('{"ownerId":"a","heartbeatMs":5}')).toEqual({ ownerId: 'a', heartbeatMs: 5 });
  });
  it.each([
    null,
    '',
    '{',
    'null',
    '[]',
    '{"ownerId":"","heartbeatMs":1}',
    '{"ownerId":"a"}',
    '{"ownerId":"a","heartbeatMs":"1"}',
  ])('treats %j as no lease', (text) => {
    expect(parseLease(text)).toBeNull();
  });
});
