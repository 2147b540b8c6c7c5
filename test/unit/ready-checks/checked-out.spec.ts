import { checkTimedOut } from '../../../lib/healthcheck.messages.js';
import { checkAmqp } from '../../../lib/ready-checks/brokers/index.js';
import { guardCheckedOut } from '../../../lib/ready-checks/shared/checked-out.guard.js';
import { checkMysql2, checkPg } from '../../../lib/ready-checks/sql/index.js';
import {
  ErrorSource,
  FakeAmqpConnection,
  FakeMysqlPool,
  FakePgPool,
} from '../../fixtures/ready-checks/checked-out-fakes.js';

const PASSED = /^SELECT 1 answered in \d+\.\d ms$/;

function aborter(): { signal: AbortSignal; abort: () => void } {
  const controller = new AbortController();
  return {
    signal: controller.signal,
    abort: () =>
      controller.abort(new DOMException(checkTimedOut(100), 'TimeoutError')),
  };
}

describe('a connection the check holds is listened to, and always given back', () => {
  describe('pg Pool', () => {
    it('a server that goes away while a client is out: the run fails with a sentence, no error is unhandled, the client is destroyed', async () => {
      const pool = new FakePgPool();
      expect((await checkPg(pool)).output).toMatch(PASSED);
      pool.client.plan = 'die';
      const outcome = await checkPg(pool);
      expect(outcome).toEqual({
        passed: false,
        output:
          'SELECT 1 against postgres at 127.0.0.1:5432/app failed: Connection terminated unexpectedly',
      });
      expect(pool.client.unhandled).toEqual([]);
      expect(pool.acquired).toBe(2);
      expect(pool.released).toBe(2);
      expect(pool.releasedWith[0]).toBeUndefined();
      expect(pool.releasedWith[1]).toBeInstanceOf(Error);
    });

    it('an error after a healthy release reaches the pool, not the check: no listener of the check is left behind', async () => {
      const pool = new FakePgPool();
      const poolErrors: unknown[] = [];
      pool.on('error', (error) => poolErrors.push(error));
      for (let i = 0; i < 52; i += 1) await checkPg(pool);
      expect(pool.client.listenerCount('error')).toBe(1);
      pool.client.fail(new Error('Connection terminated unexpectedly'));
      expect(poolErrors).toHaveLength(1);
      expect(pool.client.unhandled).toEqual([]);
      expect([pool.acquired, pool.released]).toEqual([52, 52]);
    });

    it('a query abandoned at the time-out gives its client back destroyed, and a late error on it is handled', async () => {
      const pool = new FakePgPool();
      pool.on('error', () => undefined);
      pool.client.plan = 'hang';
      const { signal, abort } = aborter();
      const run = checkPg(pool, { signal });
      await new Promise((resolve) => setImmediate(resolve));
      abort();
      expect((await run).passed).toBe(false);
      expect([pool.acquired, pool.released]).toEqual([1, 1]);
      expect(pool.releasedWith[0]).toBeInstanceOf(Error);
      pool.client.fail(new Error('Connection terminated'));
      expect(pool.client.unhandled).toEqual([]);
    });
  });

  describe('mysql2 pool', () => {
    it('a second error on a connection the pool listened to once is handled, and the connection is destroyed', async () => {
      const pool = new FakeMysqlPool();
      expect((await checkMysql2(pool)).output).toMatch(PASSED);
      expect(pool.connection.released).toBe(1);
      pool.connection.plan = 'die';
      const outcome = await checkMysql2(pool);
      expect(outcome).toEqual({
        passed: false,
        output:
          'SELECT 1 against mysql at 127.0.0.1:3306 failed: read ECONNRESET',
      });
      expect(pool.connection.unhandled).toEqual([]);
      expect(pool.connection.destroyed).toBe(1);
      expect(pool.acquired).toBe(
        pool.connection.released + pool.connection.destroyed,
      );
    });

    it('a healthy release leaves no listener of the check on the connection', async () => {
      const pool = new FakeMysqlPool();
      const before = pool.connection.listenerCount('error');
      for (let i = 0; i < 20; i += 1) await checkMysql2(pool);
      expect(pool.connection.listenerCount('error')).toBe(before);
      expect(pool.connection.released).toBe(20);
    });
  });

  describe('amqp connection', () => {
    it('a broker that closes the check’s own channel with an error: the run fails, no error is unhandled', async () => {
      const connection = new FakeAmqpConnection();
      const outcome = await checkAmqp(connection);
      expect(outcome.passed).toBe(false);
      expect(outcome.output).toBe(
        'Channel.Open/Close against the amqp broker failed: Channel closed',
      );
      expect(connection.channels).toHaveLength(1);
      expect(connection.channels[0]!.closed).toBe(1);
      expect(connection.channels[0]!.unhandled).toEqual([]);
    });
  });

  describe('guardCheckedOut', () => {
    it('keeps the first error and stops listening when disposed', () => {
      const source = new ErrorSource();
      const guard = guardCheckedOut(source);
      source.fail(new Error('first'));
      source.fail(new Error('second'));
      expect(guard.error?.message).toBe('first');
      guard.dispose();
      expect(source.listenerCount('error')).toBe(0);
    });

    it('takes an object that emits nothing', () => {
      const guard = guardCheckedOut({});
      expect(guard.error).toBeUndefined();
      expect(() => guard.dispose()).not.toThrow();
    });
  });
});
