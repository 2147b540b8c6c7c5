import {
  ttlOnBackgroundCheck,
  unknownOption,
} from '../../lib/healthcheck.messages.js';
import { resolveCheckOptions } from '../../lib/options/check-options.resolver.js';

describe('resolveCheckOptions', () => {
  const timing = { timeout: 10_000, successTtl: 27_000, failedTtl: 9_000 };
  const defaults = { name: 'method', timing, maxOutputBytes: 4_096 };
  const resolve = (options: object) =>
    resolveCheckOptions(options, defaults, 'Probe.method');

  it('fills in the module defaults', () => {
    expect(resolve({})).toEqual({
      name: 'method',
      timing,
      tags: [],
      critical: true,
      failureThreshold: 1,
      successThreshold: 1,
      runbook: undefined,
      maxOutputBytes: 4_096,
    });
  });

  it('reads tags, criticality, background settings, thresholds, runbook and output limit', () => {
    expect(
      resolve({
        tags: ['readiness', 'db', 'db'],
        critical: false,
        interval: 5_000,
        failureThreshold: 3,
        successThreshold: 2,
        runbook: 'https://runbooks.example/db',
        maxOutputBytes: 512,
      }),
    ).toEqual({
      name: 'method',
      timing,
      tags: ['readiness', 'db'],
      critical: false,
      background: { interval: 5_000, maxStaleness: 15_000 },
      failureThreshold: 3,
      successThreshold: 2,
      runbook: 'https://runbooks.example/db',
      maxOutputBytes: 512,
    });
  });

  it.each([
    [{ tags: 'readiness' }, 'tags'],
    [{ tags: ['has space'] }, 'tags'],
    [{ critical: 'no' }, 'critical'],
    [{ interval: 0 }, 'interval'],
    [{ maxStaleness: 1_000 }, 'maxStaleness'],
    [{ interval: 1_000, maxStaleness: -1 }, 'maxStaleness'],
    [{ failureThreshold: 0 }, 'failureThreshold'],
    [{ successThreshold: 1.5 }, 'successThreshold'],
    [{ runbook: '' }, 'runbook'],
    [{ maxOutputBytes: 10 }, 'maxOutputBytes'],
    [{ name: '  ' }, 'name'],
  ])('rejects %p, naming the option and the check', (options, option) => {
    expect(() => resolve(options)).toThrow(
      new RegExp(`Invalid option "${option}" of health check Probe.method`),
    );
  });

  it.each(['successTtl', 'failedTtl'] as const)(
    'refuses %s on a background check, naming the check and saying its result lives for its interval',
    (ttl) => {
      expect(() => resolve({ interval: 5_000, [ttl]: 1_000 })).toThrow(
        ttlOnBackgroundCheck('Probe.method', ttl, 5_000),
      );
      expect(() => resolve({ interval: 5_000, [ttl]: null })).toThrow(
        ttlOnBackgroundCheck('Probe.method', ttl, 5_000),
      );
    },
  );

  it('keeps the module TTLs on a background check that sets none, and a TTL on a check without interval', () => {
    expect(resolve({ interval: 5_000, successTtl: undefined }).timing).toEqual(
      timing,
    );
    expect(resolve({ successTtl: 1_000 }).timing.successTtl).toBe(1_000);
  });

  it('refuses an unknown option with the same message as the module does', () => {
    expect(() => resolve({ tag: 'readiness' })).toThrow(
      unknownOption('health check Probe.method', 'tag', [
        'name',
        'timeout',
        'successTtl',
        'failedTtl',
        'tags',
        'critical',
        'interval',
        'maxStaleness',
        'failureThreshold',
        'successThreshold',
        'runbook',
        'maxOutputBytes',
      ]),
    );
  });

  it('refuses options that are not an object', () => {
    expect(() => resolve(['x'] as unknown as object)).toThrow(
      /Invalid option "options" of health check Probe.method: expected an object of options or a name/,
    );
  });
});
