import { jest } from '@jest/globals';
import { tmpdir } from 'node:os';
import {
  diskFreeMeasured,
  diskUnreadable,
  invalidCheckOption,
  missingCheckThreshold,
  unknownCheckOption,
} from '../../../lib/healthcheck.messages.js';
import {
  EventLoopDelayMonitor,
  holdEventLoopDelayMonitor,
  sharedEventLoopDelayMonitor,
  type DelayHistogram,
} from '../../../lib/ready-checks/runtime/event-loop-delay.monitor.js';
import {
  checkDisk,
  checkEventLoop,
  checkHeap,
  checkRss,
  runtimeChecks,
  type DiskReading,
  type EventLoopDelayReader,
} from '../../../lib/ready-checks/runtime/index.js';

const { eventLoop, heap, rss, disk } = runtimeChecks;
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const noDependencies = (): never => {
  throw new Error('no dependency expected');
};

/** Runs a built definition once with a fresh signal. */
async function runBuilt(definition: ReturnType<typeof disk>) {
  const run = definition.build(noDependencies);
  return run({ signal: new AbortController().signal });
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // blocks the event loop on purpose
  }
}

function fixedDelay(delayMs: number, samples = 100): EventLoopDelayReader {
  return { read: () => ({ delayMs, windowMs: 10_000, samples }) };
}

describe('checks.eventLoop', () => {
  it('passes when the delay percentile is within maxDelayMs and reports it in ms', async () => {
    const outcome = await checkEventLoop({
      maxDelayMs: 50,
      monitor: fixedDelay(12.345),
    });
    expect(outcome).toEqual({
      passed: true,
      output: 'event-loop delay p99 12.3 ms over the last 10 s',
      observedValue: 12.35,
      observedUnit: 'ms',
    });
  });

  it('fails above maxDelayMs, naming the percentile, the window and the limit', async () => {
    const outcome = await checkEventLoop({
      maxDelayMs: 100,
      percentile: 95,
      monitor: fixedDelay(250),
    });
    expect(outcome).toMatchObject({
      passed: false,
      output:
        'event-loop delay p95 250 ms over the last 10 s, expected at most 100 ms',
      observedValue: 250,
    });
  });

  it('passes and says so when nothing was sampled yet', async () => {
    const outcome = await checkEventLoop({
      maxDelayMs: 1,
      monitor: fixedDelay(0, 0),
    });
    expect(outcome).toMatchObject({ passed: true });
    expect(String((outcome as { output: string }).output)).toMatch(
      /^no event-loop delay sampled yet/,
    );
  });

  it('sees a real blocked event loop through perf_hooks', async () => {
    const monitor = new EventLoopDelayMonitor({
      percentile: 100,
      windowMs: 60_000,
    });
    monitor.start();
    try {
      await sleep(40);
      busyWait(150);
      await sleep(40);
      const outcome = await checkEventLoop({ maxDelayMs: 100, monitor });
      expect(outcome).toMatchObject({ passed: false, observedUnit: 'ms' });
      expect(
        (outcome as { observedValue: number }).observedValue,
      ).toBeGreaterThanOrEqual(100);
    } finally {
      monitor.stop();
    }
  });

  describe('EventLoopDelayMonitor windows', () => {
    function fakeHistogram() {
      const histogram = {
        count: 0,
        intervalNs: 0,
        resets: 0,
        enabled: 0,
        enable() {
          histogram.enabled++;
          return true;
        },
        disable() {
          return true;
        },
        reset() {
          histogram.resets++;
          histogram.count = 0;
          histogram.intervalNs = 0;
        },
        percentile: () => histogram.intervalNs,
      };
      return histogram;
    }

    it('reads the open window until windowMs passed, then keeps the closed one and resets the histogram', () => {
      let now = 1_000;
      const histogram = fakeHistogram();
      const monitor = new EventLoopDelayMonitor({
        percentile: 99,
        windowMs: 100,
        now: () => now,
        createHistogram: () => histogram as unknown as DelayHistogram,
      });

      monitor.start();
      histogram.count = 5;
      histogram.intervalNs = 30e6;
      now += 40;
      expect(monitor.read()).toEqual({ delayMs: 20, windowMs: 40, samples: 5 });
      expect(histogram.resets).toBe(0);

      now += 60;
      expect(monitor.read()).toEqual({
        delayMs: 20,
        windowMs: 100,
        samples: 5,
      });
      expect(histogram.resets).toBe(1);

      // The next window is still open: the closed one is what counts.
      histogram.count = 2;
      histogram.intervalNs = 10e6;
      now += 50;
      expect(monitor.read()).toEqual({
        delayMs: 20,
        windowMs: 100,
        samples: 5,
      });
      expect(histogram.enabled).toBe(1);
    });
  });

  it('runs as a built check and needs maxDelayMs', async () => {
    const definition = eventLoop('loop', {
      maxDelayMs: 1_000,
      timeout: 500,
      tags: ['liveness'],
    });
    expect(definition.source).toBe("checks.eventLoop('loop')");
    expect(definition.options).toEqual({ timeout: 500, tags: ['liveness'] });
    const run = definition.build(noDependencies) as ReturnType<
      typeof definition.build
    > & { close: () => void };
    expect(await run({ signal: new AbortController().signal })).toMatchObject({
      passed: true,
    });
    run.close();

    expect(() => eventLoop('loop', {} as never)).toThrow(
      invalidCheckOption(
        "checks.eventLoop('loop')",
        'maxDelayMs',
        'a number of milliseconds greater than 0',
        'undefined',
      ),
    );
    expect(() =>
      eventLoop('loop', { maxDelayMs: 10, percentile: 150 }),
    ).toThrow(
      /option "percentile" .* expected a number greater than 0 and at most 100, e\.g\. 99, got the number 150/,
    );
    expect(() =>
      eventLoop('loop', { maxDelayMs: 10, maxDelay: 5 } as never),
    ).toThrow(
      unknownCheckOption("checks.eventLoop('loop')", 'maxDelay', [
        'maxDelayMs',
        'percentile',
        'windowMs',
      ]),
    );
    expect(eventLoop.run).toBe(checkEventLoop);
  });
  it('shares one histogram between built checks with the same settings and stops it when the last one closes', () => {
    type Closable = { close: () => void };
    const first = eventLoop('a', { maxDelayMs: 10, windowMs: 1234 }).build(
      noDependencies,
    ) as unknown as Closable;
    const second = eventLoop('b', { maxDelayMs: 20, windowMs: 1234 }).build(
      noDependencies,
    ) as unknown as Closable;
    const monitor = sharedEventLoopDelayMonitor(99, 1234);
    const stop = jest.spyOn(monitor, 'stop');
    first.close();
    expect(stop).not.toHaveBeenCalled();
    expect(sharedEventLoopDelayMonitor(99, 1234)).toBe(monitor);
    second.close();
    expect(stop).toHaveBeenCalledTimes(1);
    const { monitor: next, release } = holdEventLoopDelayMonitor(99, 1234);
    expect(next).not.toBe(monitor);
    release();
  });
});

describe('checks.heap', () => {
  const readHeap = () => ({
    used_heap_size: 900 * MiB,
    heap_size_limit: 1 * GiB,
  });

  it('passes under maxUsedRatio and reports the used ratio', async () => {
    const outcome = await checkHeap({ maxUsedRatio: 0.9, readHeap });
    expect(outcome).toEqual({
      passed: true,
      output: 'heap 900 MiB used, 87.9% of the 1 GiB limit',
      observedValue: 0.8789,
      observedUnit: 'ratio',
    });
  });

  it('fails over either threshold and names every one it missed', async () => {
    expect(await checkHeap({ maxUsedRatio: 0.8, readHeap })).toMatchObject({
      passed: false,
      output:
        'heap 900 MiB used, 87.9% of the 1 GiB limit, expected at most 80% of the limit',
    });
    expect(
      await checkHeap({ maxUsedRatio: 0.5, maxUsedBytes: 512 * MiB, readHeap }),
    ).toMatchObject({
      passed: false,
      output:
        'heap 900 MiB used, 87.9% of the 1 GiB limit, expected at most 50% of the limit and at most 512 MiB',
    });
  });

  it('reads the real V8 heap by default', async () => {
    const outcome = await checkHeap({ maxUsedRatio: 1 });
    expect(outcome).toMatchObject({ passed: true, observedUnit: 'ratio' });
  });

  it('needs a threshold, and a ratio that is not a percentage', () => {
    expect(() => heap('heap', {})).toThrow(
      missingCheckThreshold("checks.heap('heap')", [
        'maxUsedBytes',
        'maxUsedRatio',
      ]),
    );
    expect(() => heap('heap', { maxUsedRatio: 90 })).toThrow(
      invalidCheckOption(
        "checks.heap('heap')",
        'maxUsedRatio',
        'a ratio greater than 0 and at most 1, e.g. 0.9 for 90%',
        'the number 90',
      ),
    );
  });
});

describe('checks.rss', () => {
  it('passes under maxBytes and reports bytes', async () => {
    expect(
      await checkRss({ maxBytes: 512 * MiB, readRss: () => 200 * MiB }),
    ).toEqual({
      passed: true,
      output: 'rss 200 MiB',
      observedValue: 200 * MiB,
      observedUnit: 'bytes',
    });
  });

  it('fails over maxBytes', async () => {
    expect(
      await checkRss({ maxBytes: 512 * MiB, readRss: () => 600 * MiB }),
    ).toMatchObject({
      passed: false,
      output: 'rss 600 MiB, expected at most 512 MiB',
    });
  });

  it('reads the real resident set size when built', async () => {
    const outcome = await runBuilt(
      rss('memory', { maxBytes: 64 * GiB }) as never,
    );
    expect(outcome).toMatchObject({ passed: true, observedUnit: 'bytes' });
    expect(() => rss('memory', { maxBytes: -1 })).toThrow(
      /"maxBytes" of health check checks\.rss\('memory'\).*got the number -1/,
    );
  });
});

describe('checks.disk', () => {
  // 4 KiB blocks: 100 GiB in all, 12 GiB available.
  const reading: DiskReading = {
    bsize: 4096,
    blocks: (100 * GiB) / 4096,
    bavail: (12 * GiB) / 4096,
  };
  const statfs = async () => reading;

  it('passes above minFreePercent and reports the free percentage', async () => {
    expect(await checkDisk({ path: '/', minFreePercent: 10, statfs })).toEqual({
      passed: true,
      output: diskFreeMeasured('12%', '/', '12 GiB', '100 GiB'),
      observedValue: 12,
      observedUnit: 'percent',
    });
  });

  it('fails below minFreePercent with a sentence for the person on call', async () => {
    expect(
      await checkDisk({ path: '/', minFreePercent: 20, statfs }),
    ).toMatchObject({
      passed: false,
      output: '12% free on / (12 GiB of 100 GiB), expected at least 20%',
    });
  });

  it('compares free bytes and reports them when only minFreeBytes is set', async () => {
    expect(
      await checkDisk({ path: '/data', minFreeBytes: 20 * GiB, statfs }),
    ).toEqual({
      passed: false,
      output: '12% free on /data (12 GiB of 100 GiB), expected at least 20 GiB',
      observedValue: 12 * GiB,
      observedUnit: 'bytes',
    });
  });

  it('fails with the reason when the path cannot be read', async () => {
    const outcome = await checkDisk({
      path: '/no/such/dir',
      minFreeBytes: 1,
    });
    expect(outcome).toMatchObject({ passed: false });
    expect((outcome as { output: string }).output).toMatch(
      /^could not read the free space on \/no\/such\/dir: ENOENT/,
    );
  });

  it('stops waiting for a stuck file system when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = checkDisk({
      path: '/mnt/nfs',
      minFreeBytes: 1,
      signal: controller.signal,
      statfs: () => new Promise<DiskReading>(() => undefined),
    });
    controller.abort(new Error('timed out after 50 ms'));
    expect(await pending).toEqual({
      passed: false,
      output: diskUnreadable('/mnt/nfs', 'timed out after 50 ms'),
    });
  });

  it('reads the real file system when built', async () => {
    const outcome = await runBuilt(
      disk('tmp', { path: tmpdir(), minFreeBytes: 1 }),
    );
    expect(outcome).toMatchObject({ passed: true, observedUnit: 'bytes' });
  });

  it('refuses options that cannot work when the builder is called', () => {
    const where = "checks.disk('tmp')";
    expect(() => disk('tmp', { path: '/' })).toThrow(
      missingCheckThreshold(where, ['minFreeBytes', 'minFreePercent']),
    );
    expect(() => disk('tmp', { minFreeBytes: 1 } as never)).toThrow(
      invalidCheckOption(
        where,
        'path',
        "a path on the file system, e.g. '/'",
        'undefined',
      ),
    );
    expect(() => disk('tmp', { path: '/', minFreePercent: 0 })).toThrow(
      /"minFreePercent".*expected a percentage greater than 0 and at most 100/,
    );
    expect(() => disk('tmp', { path: '/', minFree: 1 } as never)).toThrow(
      unknownCheckOption(where, 'minFree', [
        'path',
        'minFreeBytes',
        'minFreePercent',
      ]),
    );
    expect(() => disk('', { path: '/', minFreeBytes: 1 })).toThrow(
      /option "name"/,
    );
    expect(disk.run).toBe(checkDisk);
  });
});
