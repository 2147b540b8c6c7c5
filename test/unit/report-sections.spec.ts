import { jest } from '@jest/globals';
import { createScrubber } from '../../lib/environment/scrub.js';
import { SCRUBBED_VALUE } from '../../lib/healthcheck.constants.js';
import { checkTimedOut } from '../../lib/healthcheck.messages.js';
import { ReportSections } from '../../lib/report/report-sections.js';
import { createRunner } from './runner.helpers.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

const SECRET_SECTION = {
  api_key: 'abc',
  db: 'postgres://app:p@ss@db/x',
};
const SCRUBBED_SECTION = {
  api_key: SCRUBBED_VALUE,
  db: `postgres://app:${SCRUBBED_VALUE}@db/x`,
};

function sections(maxAgeMs = 10_000, timeoutMs = 1_000): ReportSections {
  return new ReportSections({ timeoutMs, maxAgeMs, scrub: createScrubber() });
}

describe('ReportSections', () => {
  it('evaluates a function section again only once its value is older than maxAgeMs', async () => {
    const registry = sections(10_000);
    let calls = 0;
    registry.add('build', () => ({ calls: ++calls }), 'test');
    expect(registry.validUntil()).toBe(-Infinity);

    expect(await registry.values(T0)).toEqual({ build: { calls: 1 } });
    expect(registry.validUntil()).toBe(T0 + 10_000);
    for (const at of [T0 + 1, T0 + 5_000, T0 + 9_999]) {
      expect(await registry.values(at)).toEqual({ build: { calls: 1 } });
    }
    expect(calls).toBe(1);

    expect(await registry.values(T0 + 10_000)).toEqual({
      build: { calls: 2 },
    });
    expect(registry.validUntil()).toBe(T0 + 20_000);
    expect(calls).toBe(2);
  });

  it('evaluates value sections once: they never expire', async () => {
    const registry = sections(10_000);
    registry.add('static', { region: 'eu' }, 'test');
    expect(await registry.values(T0)).toEqual({ static: { region: 'eu' } });
    expect(registry.validUntil()).toBe(Infinity);
  });

  it('evaluates again after a section is added', async () => {
    const registry = sections();
    let calls = 0;
    registry.add('build', () => ++calls, 'test');
    await registry.values(T0);
    registry.add('static', 'value', 'test');
    expect(await registry.values(T0 + 1)).toEqual({
      build: 2,
      static: 'value',
    });
  });

  it('scrubs secrets in values and in what functions return', async () => {
    const registry = sections();
    registry.add('application', SECRET_SECTION, 'test');
    registry.add('computed', () => ({ ...SECRET_SECTION }), 'test');
    const values = await registry.values(T0);
    expect(values).toEqual({
      application: SCRUBBED_SECTION,
      computed: SCRUBBED_SECTION,
    });
    expect(JSON.stringify(values)).not.toContain('p@ss');
  });

  it('shows a section that throws or hangs as an error', async () => {
    jest.useFakeTimers();
    try {
      const registry = sections(10_000, 50);
      registry.add(
        'broken',
        () => {
          throw new Error('explode');
        },
        'test',
      );
      registry.add('hangs', () => new Promise(() => undefined), 'test');
      const values = registry.values(T0);
      await jest.advanceTimersByTimeAsync(50);
      expect(await values).toEqual({
        broken: { error: 'explode' },
        hangs: { error: checkTimedOut(50) },
      });
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('HealthCheckRunner.addSection', () => {
  afterEach(() => jest.restoreAllMocks());

  it('re-evaluates a function section once older than successTtl, not on every report', async () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(T0);
    const { runner } = createRunner({ successTtl: 10_000 });
    const build = jest.fn(() => ({ sha: 'abc123' }));
    runner.addSection('build', build);

    const first = await runner.run();
    expect(first.build).toEqual({ sha: 'abc123' });
    for (const at of [T0 + 1, T0 + 5_000, T0 + 9_999]) {
      now.mockReturnValue(at);
      expect(await runner.run()).toBe(first);
    }
    expect(build).toHaveBeenCalledTimes(1);

    now.mockReturnValue(T0 + 10_000);
    const second = await runner.run();
    expect(build).toHaveBeenCalledTimes(2);
    expect(second).not.toBe(first);
    expect(second.timestamp).toBe((T0 + 10_000) / 1000);
    expect(await runner.run()).toBe(second);
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('scrubs secrets in a section', async () => {
    const { runner } = createRunner();
    runner.addSection('application', SECRET_SECTION);
    const report = await runner.run();
    expect(report.application).toEqual(SCRUBBED_SECTION);
    expect(JSON.stringify(report)).not.toContain('p@ss');
  });

  it('leaves sections out of group and probe reports', async () => {
    const { runner } = createRunner();
    runner.addCheck('db', () => true, { tags: ['readiness'] });
    runner.addSection('application', { name: 'api' });
    expect((await runner.run()).application).toEqual({ name: 'api' });
    expect(await runner.run({ tag: 'readiness' })).not.toHaveProperty(
      'application',
    );
  });
});
