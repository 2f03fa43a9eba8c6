import { InvalidArgumentError } from 'commander';

import { duration, listenAddress, time, variable } from './options';

describe('option parsers', () => {
  it('reads times as unix seconds, RFC 3339 with any offset, and now minus a duration', () => {
    const now = 1_714_564_800;
    expect(time('1700000000', now)).toBe(1_700_000_000);
    expect(time('1700000000.5', now)).toBe(1_700_000_000.5);
    expect(time('2024-05-01T12:00:00Z', now)).toBe(1_714_564_800);
    expect(time('2024-05-01T14:00:00.250+02:00', now)).toBe(1_714_564_800.25);
    expect(time('now', now)).toBe(now);
    expect(time('now-1h30m', now)).toBe(now - 5400);
  });

  it.each(['yesterday', '2024-05-01', '2024-05-01T12:00:00', 'now+1h', 'now-', '-5', ''])(
    'refuses %j as a time',
    (text) => {
      expect(() => time(text, 0)).toThrow(InvalidArgumentError);
      expect(() => time(text, 0)).toThrow(
        /must be unix seconds \(1714564800\), RFC 3339 \(2024-05-01T12:00:00Z\) or now-<duration>/
      );
    }
  );

  it('reads durations as seconds or Prometheus durations', () => {
    expect([
      duration('30'),
      duration('0.5'),
      duration('30s'),
      duration('1m30s'),
      duration('500ms'),
      duration('2h'),
    ]).toEqual([30, 0.5, 30, 90, 0.5, 7200]);
    for (const bad of ['0', '-1', '1x', 's', '', '1.5m']) {
      expect(() => duration(bad)).toThrow(InvalidArgumentError);
    }
  });

  it('collects repeated variables and keeps = inside values', () => {
    expect(variable('b=x=y', variable('a=1'))).toEqual({ a: '1', b: 'x=y' });
    expect(() => variable('1a=2')).toThrow(/name=value/);
  });

  it('reads listen addresses, IPv6 in brackets, and an empty host as every interface', () => {
    expect(listenAddress('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(listenAddress('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(listenAddress(':9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    for (const bad of ['9464', 'host', 'host:99999', 'host:x']) {
      expect(() => listenAddress(bad)).toThrow(/host:port/);
    }
  });
});
