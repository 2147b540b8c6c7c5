import { jest } from '@jest/globals';
import memjs from 'memjs';
import {
  memcachedStillWaiting,
  readyCheckMissingOption,
  unknownCheckOption,
} from '../../../lib/healthcheck.messages.js';
import type { DependencyResolver } from '../../../lib/ready-checks/health-check.definition.js';
import { cacheChecks } from '../../../lib/ready-checks/cache/index.js';
import {
  isMemcachedClient,
  isMemcachedPackageClient,
  isMemjsClient,
  memcachedTarget,
} from '../../../lib/ready-checks/cache/memcached-client.js';
import {
  checkMemcached,
  memcached,
} from '../../../lib/ready-checks/cache/memcached.check.js';
import { closedPort, passThrough } from '../../support/ready-check.helpers.js';

/** A structural client of the `memcached` package (not installed): only its shape is known. */
function packageClient(
  answer: (callback: (error: unknown, versions: unknown) => void) => void,
) {
  const noop = (): void => undefined;
  return {
    servers: ['cache-1:11211', 'cache-2:11211'],
    version: jest.fn(answer),
    stats: noop,
    get: noop,
    set: noop,
    end: noop,
    connect: noop,
  };
}

describe('memcached client detection', () => {
  it('recognises a memjs Client and a memcached-package shape, and refuses tokens and look-alikes', () => {
    const client = memjs.Client.create('127.0.0.1:11211');
    expect(isMemjsClient(client)).toBe(true);
    expect(isMemcachedClient(client)).toBe(true);
    const shaped = packageClient(() => undefined);
    expect([isMemjsClient(shaped), isMemcachedPackageClient(shaped)]).toEqual([
      false,
      true,
    ]);
    for (const value of [
      'MEMCACHED',
      Symbol('MEMCACHED'),
      null,
      { get: () => undefined, set: () => undefined },
      { ...client, servers: [{}] },
    ]) {
      expect(isMemcachedClient(value)).toBe(false);
    }
  });

  it('names every server, never a password', () => {
    expect(
      memcachedTarget(
        memjs.Client.create('user:secret@10.0.0.1:11211,10.0.0.2:11212'),
      ),
    ).toBe('memcached at 10.0.0.1:11211, 10.0.0.2:11212');
    expect(memcachedTarget(packageClient(() => undefined))).toBe(
      'memcached at cache-1:11211, cache-2:11211',
    );
  });
});

describe('checkMemcached', () => {
  it('fails with what memjs saw against a closed port, naming the server', async () => {
    const port = await closedPort();
    const client = memjs.Client.create(`127.0.0.1:${port}`, {
      retries: 1,
      logger: { log: () => undefined },
    });
    expect(await checkMemcached(client)).toEqual({
      passed: false,
      output: `VERSION against memcached at 127.0.0.1:${port} failed: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
    client.close();
  });

  it('fails when the signal aborts, without waiting for memjs', async () => {
    const port = await closedPort();
    const client = memjs.Client.create(`127.0.0.1:${port}`, {
      logger: { log: () => undefined },
    });
    const outcome = await checkMemcached(client, {
      signal: AbortSignal.abort(new Error('timed out after 5 ms')),
    });
    expect(outcome).toEqual({
      passed: false,
      output: `VERSION against memcached at 127.0.0.1:${port} failed: timed out after 5 ms`,
    });
    client.close();
  });

  it('names the server that has not answered when one of several hangs', async () => {
    const client = memjs.Client.create('10.0.0.1:11211,10.0.0.2:11211', {
      logger: { log: () => undefined },
    });
    type Server = (typeof client.servers)[number] & {
      respond(response: object): void;
    };
    const [answering, hanging] = client.servers as Server[];
    answering.write = (request: Buffer) =>
      answering.respond({
        header: {
          status: 0,
          opcode: 0x0b,
          opaque: request.readUInt32BE(12),
          totalBodyLength: 0,
        },
        val: Buffer.from('1.6.21'),
      });
    hanging.write = () => undefined;
    const outcome = await checkMemcached(client, {
      signal: AbortSignal.timeout(20),
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.output).toMatch(
      new RegExp(
        `; ${memcachedStillWaiting(['10.0.0.2:11211']).replace(/[()]/g, '\\$&')}$`,
      ),
    );
    client.close();
  });

  it('a client of no server fails, saying so', async () => {
    const client = memjs.Client.create('127.0.0.1:1');
    (client as unknown as { servers: unknown[] }).servers = [];
    expect(await checkMemcached(client)).toEqual({
      passed: false,
      output:
        'VERSION against memcached failed: the client has no memcached server in its list',
    });
  });

  it('asks a memcached-package client for its version (by shape only)', async () => {
    const client = packageClient((callback) =>
      callback(null, [{ version: '1.6.18' }]),
    );
    expect(await checkMemcached(client)).toMatchObject({ passed: true });
    const failing = packageClient((callback) =>
      callback(new Error('connect ECONNREFUSED cache-1:11211'), undefined),
    );
    expect((await checkMemcached(failing)).output).toBe(
      'VERSION against memcached at cache-1:11211, cache-2:11211 failed: connect ECONNREFUSED cache-1:11211',
    );
  });
});

describe('checks.memcached options', () => {
  it('is the memcached entry of the family and carries its pure function as run', () => {
    expect(cacheChecks).toEqual({ memcached });
    expect(memcached.run).toBe(checkMemcached);
  });

  it('hands the client option, instance or token, to the resolver at bootstrap', () => {
    const resolve = jest.fn(() => memjs.Client.create('127.0.0.1:11211'));
    memcached('cache', { client: 'MEMCACHED', tags: ['readiness'] }).build(
      resolve as unknown as DependencyResolver,
    );
    expect(resolve).toHaveBeenCalledWith(
      'client',
      'MEMCACHED',
      isMemcachedClient,
      'a memjs Client (memjs.Client.create()) or a memcached client',
    );
  });

  it('refuses a missing client at bootstrap and an unknown option at once', () => {
    expect(() => memcached('cache', {} as never).build(passThrough)).toThrow(
      readyCheckMissingOption(
        'memcached',
        'client',
        'a memjs Client (memjs.Client.create()) or a memcached client',
      ),
    );
    expect(() =>
      memcached('cache', { client: {}, servers: 'x' } as never),
    ).toThrow(
      unknownCheckOption("checks.memcached('cache')", 'servers', ['client']),
    );
  });
});
