import { jest } from '@jest/globals';
import {
  dnsFailed,
  earlierLookupPending,
} from '../../../lib/healthcheck.messages.js';
import { checks } from '../../../lib/ready-checks/checks.js';
import type { DnsLookup } from '../../../lib/ready-checks/network/dns.check.js';

const timedOut = (): AbortSignal =>
  AbortSignal.abort(new DOMException('timed out after 100 ms', 'TimeoutError'));

describe('checks.dns: one system lookup at a time', () => {
  it('while a lookup has not returned, the next runs fail at once with a sentence and start none', async () => {
    const lookup = jest.fn<DnsLookup>(() => new Promise(() => undefined));
    const first = checks.dns.run(
      { hostname: 'db.internal', lookup },
      {
        signal: timedOut(),
      },
    );
    expect((await first).passed).toBe(false);
    for (let i = 0; i < 5; i += 1) {
      const next = await checks.dns.run({ hostname: 'db.internal', lookup });
      expect(next.passed).toBe(false);
      expect(next.output).toMatch(
        /^system lookup of db\.internal failed: the system lookup of db\.internal started \d+\.\d s earlier has not returned yet; it cannot be cancelled/,
      );
    }
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it('the wording comes from the messages file', async () => {
    jest.useFakeTimers({
      now: 0,
      doNotFake: ['setImmediate', 'queueMicrotask', 'nextTick'],
    });
    try {
      const lookup: DnsLookup = () => new Promise(() => undefined);
      const first = checks.dns.run(
        { hostname: 'a.internal', lookup },
        { signal: timedOut() },
      );
      await first;
      jest.setSystemTime(2_500);
      const next = await checks.dns.run({ hostname: 'a.internal', lookup });
      expect(next.output).toBe(
        dnsFailed(
          'a.internal',
          'system lookup',
          earlierLookupPending('a.internal', 2_500),
        ),
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('once the lookup returns, the next run starts its own; other host names are not held back', async () => {
    let answer: (found: { address: string }[]) => void = () => undefined;
    let slowCalls = 0;
    const lookup = jest.fn<DnsLookup>((hostname) => {
      if (hostname === 'slow.internal' && slowCalls++ === 0) {
        return new Promise((resolve) => (answer = resolve));
      }
      return Promise.resolve([{ address: '10.0.0.9' }]);
    });
    const slow = checks.dns.run({ hostname: 'slow.internal', lookup });
    const other = await checks.dns.run({ hostname: 'fast.internal', lookup });
    expect(other.passed).toBe(true);
    answer([{ address: '10.0.0.1' }]);
    expect((await slow).passed).toBe(true);
    const again = await checks.dns.run({ hostname: 'slow.internal', lookup });
    expect(again.passed).toBe(true);
    expect(lookup).toHaveBeenCalledTimes(3);
  });
});
