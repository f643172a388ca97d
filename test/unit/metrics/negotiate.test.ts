import { describe, expect, it } from 'vitest';
import { negotiateFormat } from '../../../src/metrics/negotiate';
import { isLoopback, parseListenAddress } from '../../../src/metrics/listenAddress';

describe('negotiateFormat', () => {
  it.each([
    [undefined, 'prometheus'],
    ['', 'prometheus'],
    ['*/*', 'prometheus'],
    ['text/plain', 'prometheus'],
    ['text/plain;version=0.0.4', 'prometheus'],
    ['application/openmetrics-text', 'openmetrics'],
    // What Prometheus 2.x sends.
    [
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'openmetrics',
    ],
    // A scraper that prefers the classic format but takes OpenMetrics.
    ['text/plain;version=0.0.4,application/openmetrics-text;q=0.5', 'prometheus'],
    ['application/openmetrics-text;q=0', 'prometheus'],
    ['APPLICATION/OpenMetrics-Text; version=1.0.0', 'openmetrics'],
    ['application/openmetrics-text;q=nonsense', 'prometheus'],
  ])('%j -> %s', (accept, want) => {
    expect(negotiateFormat(accept)).toBe(want);
  });
});

describe('parseListenAddress / isLoopback', () => {
  it.each([
    ['127.0.0.1:9478', { host: '127.0.0.1', port: 9478 }],
    [':9478', { host: '127.0.0.1', port: 9478 }],
    ['9478', { host: '127.0.0.1', port: 9478 }],
    ['0', { host: '127.0.0.1', port: 0 }],
    ['[::1]:9478', { host: '::1', port: 9478 }],
    ['0.0.0.0:9478', { host: '0.0.0.0', port: 9478 }],
    ['localhost:80', { host: 'localhost', port: 80 }],
  ])('%s -> %j', (text, want) => {
    expect(parseListenAddress(text)).toEqual(want);
  });

  it.each(['', 'host', '127.0.0.1:', '127.0.0.1:65536', '127.0.0.1:-1', '::1:9478', '[::1]9478', '[nope]:1'])(
    'rejects %j',
    (text) => {
      expect(typeof parseListenAddress(text)).toBe('string');
    },
  );

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['example.org', false],
    ['127.example.org', false],
  ])('isLoopback(%s) = %s', (host, want) => {
    expect(isLoopback(host)).toBe(want);
  });
});
