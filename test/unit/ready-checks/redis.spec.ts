import { jest } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import {
  readyCheckMissingOption,
  unknownCheckOption,
} from '../../../lib/healthcheck.messages.js';
import { redisChecks } from '../../../lib/ready-checks/redis/index.js';
import {
  isIoredisClient,
  isNodeRedisClient,
  isRedisClient,
} from '../../../lib/ready-checks/redis/redis-client.js';
import {
  checkRedis as rawCheckRedis,
  redis,
} from '../../../lib/ready-checks/redis/redis.check.js';
import type { HealthCheckOutcome } from '../../../lib/interfaces/check.interface.js';
import type { DependencyResolver } from '../../../lib/ready-checks/health-check.definition.js';
import { closedPort, passThrough } from '../../support/ready-check.helpers.js';

/** The pure checks answer `{ passed, output, … }`; their declared type is the wider HealthCheckOutcome. */
type Outcome = {
  passed: boolean;
  output: string;
  observedValue?: number;
  observedUnit?: string;
};
const typed = <A extends unknown[]>(
  check: (...args: A) => Promise<HealthCheckOutcome>,
): ((...args: A) => Promise<Outcome>) =>
  check as (...args: A) => Promise<Outcome>;
const checkRedis = typed(rawCheckRedis);

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(condition()).toBe(true);
}

describe('redis client detection', () => {
  it('tells ioredis and node-redis clients apart by their shape', () => {
    const io = new Redis({ lazyConnect: true });
    const node = createClient();
    expect([isIoredisClient(io), isNodeRedisClient(io)]).toEqual([true, false]);
    expect([isIoredisClient(node), isNodeRedisClient(node)]).toEqual([
      false,
      true,
    ]);
    expect(isRedisClient(io) && isRedisClient(node)).toBe(true);
    io.disconnect();
  });

  it.each([
    ['a DI token string', 'REDIS'],
    ['a DI token symbol', Symbol('REDIS')],
    ['a class', class RedisService {}],
    ['an object with only ping()', { ping: () => 'PONG' }],
    ['null', null],
  ])('rejects %s', (_label, value) => {
    expect(isRedisClient(value)).toBe(false);
  });
});

describe('checks.redis options', () => {
  it('is the redis entry of the family', () => {
    expect(redisChecks).toEqual({ redis });
    expect(redis.run).toBe(checkRedis);
  });

  it('hands the client option, instance or token, to the resolver at bootstrap', () => {
    const resolve = jest.fn(() => new Redis({ lazyConnect: true }));
    const definition = redis('cache', {
      client: 'REDIS',
      timeout: 500,
      tags: ['readiness'],
    });
    expect(definition).toMatchObject({
      name: 'cache',
      source: "checks.redis('cache')",
      options: { timeout: 500, tags: ['readiness'] },
    });
    definition.build(resolve as unknown as DependencyResolver);
    expect(resolve).toHaveBeenCalledWith(
      'client',
      'REDIS',
      isRedisClient,
      'an ioredis or node-redis client',
    );
    (resolve.mock.results[0].value as Redis).disconnect();
  });

  it('throws at bootstrap without a client, or with an option it does not take', () => {
    expect(() => redis('cache', {} as never).build(passThrough)).toThrow(
      readyCheckMissingOption(
        'redis',
        'client',
        'an ioredis or node-redis client',
      ),
    );
    expect(() =>
      redis('cache', { client: {}, tiemout: 5 } as never).build(passThrough),
    ).toThrow(
      unknownCheckOption("checks.redis('cache')", 'tiemout', ['client']),
    );
  });
});

describe('checks.redis against a closed port (real clients)', () => {
  it('ioredis: fails at once while the client reconnects, naming the server', async () => {
    const port = await closedPort();
    const client = new Redis({ host: '127.0.0.1', port });
    client.on('error', () => undefined);
    await until(() => client.status === 'reconnecting');
    await expect(checkRedis(client)).resolves.toEqual({
      passed: false,
      output: `PING against redis at 127.0.0.1:${port} failed: not sent: the ioredis client is reconnecting (status "reconnecting")`,
    });
    client.disconnect();
  });

  it('ioredis: a client that gave up reconnecting says it is closed', async () => {
    const port = await closedPort();
    const client = new Redis({
      host: '127.0.0.1',
      port,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    await until(() => client.status === 'end');
    expect(await checkRedis(client)).toEqual({
      passed: false,
      output: `PING against redis at 127.0.0.1:${port} failed: not sent: the ioredis client is closed (status "end")`,
    });
  });

  it('node-redis: a client that never connected says so', async () => {
    const port = await closedPort();
    const client = createClient({ socket: { host: '127.0.0.1', port } });
    expect(await checkRedis(client)).toEqual({
      passed: false,
      output: `PING against redis at 127.0.0.1:${port} failed: not sent: the node-redis client is closed: call connect() first`,
    });
  });

  it('node-redis: fails at once while it retries the connection', async () => {
    const port = await closedPort();
    const client = createClient({
      url: `redis://user:secret@127.0.0.1:${port}`,
    });
    client.on('error', () => undefined);
    client.connect().catch(() => undefined);
    await until(() => client.isOpen);
    const outcome = await checkRedis(client);
    expect(outcome).toEqual({
      passed: false,
      output: `PING against redis at 127.0.0.1:${port} failed: not sent: the node-redis client is not ready (connecting or reconnecting)`,
    });
    expect(JSON.stringify(outcome)).not.toContain('secret');
    client.destroy();
  });
});

describe('checks.redis against a server that never answers', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let port: number;

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails when the signal aborts, and the next run waits for the unanswered PING instead of adding one', async () => {
    const client = new Redis({ host: '127.0.0.1', port });
    client.on('error', () => undefined);
    // Connected; the server never answers, so ioredis gets no further than its own handshake.
    await until(() => client.status === 'connect' || client.status === 'ready');
    const sent = jest.spyOn(client, 'ping');

    const first = new AbortController();
    const run = checkRedis(client, { signal: first.signal });
    first.abort(new Error('timed out after 50 ms'));
    expect(await run).toEqual({
      passed: false,
      output: `PING against redis at 127.0.0.1:${port} failed: timed out after 50 ms`,
    });

    const second = new AbortController();
    const next = checkRedis(client, { signal: second.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    second.abort(new Error('timed out after 20 ms'));
    expect((await next).output).toMatch(
      /failed: timed out after 20 ms; the PING sent \d+\.\d s earlier on the same client has not been answered yet$/,
    );
    expect(sent).toHaveBeenCalledTimes(1);
    client.disconnect();
  });

  it('fails at once for a signal that is already aborted', async () => {
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
    const sent = jest.spyOn(client, 'ping');
    expect(
      (
        await checkRedis(client, {
          signal: AbortSignal.abort(new Error('shutting down')),
        })
      ).passed,
    ).toBe(false);
    expect(sent).not.toHaveBeenCalled();
    client.disconnect();
  });
});
