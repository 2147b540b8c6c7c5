import { jest } from '@jest/globals';
import { BrokenCircuitError } from 'cockatiel';
import { Etcd3 } from 'etcd3';
import {
  etcdCircuitOpen,
  etcdMemberErrors,
  etcdNoLeader,
  readyCheckMissingOption,
  unknownCheckOption,
} from '../../../lib/healthcheck.messages.js';
import { checks } from '../../../lib/ready-checks/checks.js';
import {
  checkEtcd,
  etcd,
} from '../../../lib/ready-checks/coordination/etcd.check.js';
import {
  etcdTarget,
  isEtcd3Client,
  type Etcd3Like,
  type EtcdCallInterceptor,
} from '../../../lib/ready-checks/coordination/etcd-client.js';
import { coordinationChecks } from '../../../lib/ready-checks/coordination/index.js';
import type { DependencyResolver } from '../../../lib/ready-checks/health-check.definition.js';
import { closedPort, passThrough } from '../../support/ready-check.helpers.js';

const STATUS = {
  header: { member_id: '16', revision: '1' },
  version: '3.5.9',
  dbSize: '1536',
  leader: '16',
  errors: [],
};

/** A real etcd3 client whose calls go to `exec` instead of the network (etcd3's own mock()). */
function mockedClient(
  exec: (service: string, method: string) => Promise<unknown>,
  hosts: string | string[] = 'http://10.0.0.1:2379',
): Etcd3 {
  const client = new Etcd3({ hosts });
  client.mock({ exec } as never);
  return client;
}

describe('etcd client detection', () => {
  it('accepts an Etcd3 client and refuses a namespace of one, tokens and look-alikes', () => {
    const client = new Etcd3({ hosts: 'http://127.0.0.1:1' });
    expect(isEtcd3Client(client)).toBe(true);
    expect(isEtcd3Client(client.namespace('app/'))).toBe(false);
    for (const value of ['ETCD', Symbol('ETCD'), class Etcd {}, null, {}]) {
      expect(isEtcd3Client(value)).toBe(false);
    }
    client.close();
  });

  it('names the hosts the client was built with, never a password in them', () => {
    const one = new Etcd3({ hosts: 'http://127.0.0.1:2379' });
    const many = new Etcd3({
      hosts: [
        'https://root:hunter22@a.internal:2379',
        'https://b.internal:2379',
      ],
    });
    expect(etcdTarget(one)).toBe('etcd at 127.0.0.1:2379');
    expect(etcdTarget(many)).toBe(
      'etcd at root:***@a.internal:2379, b.internal:2379',
    );
    one.close();
    many.close();
  });
});

describe('checks.etcd options', () => {
  it('is the etcd entry of the family and of the checks namespace', () => {
    expect(coordinationChecks).toEqual({ etcd });
    expect(checks.etcd).toBe(etcd);
    expect(etcd.run).toBe(checkEtcd);
  });

  it('hands the client option, instance or token, to the resolver at bootstrap', () => {
    const client = new Etcd3({ hosts: 'http://127.0.0.1:1' });
    const resolve = jest.fn(() => client);
    const definition = etcd('coordination', {
      client: 'ETCD',
      timeout: 500,
      tags: ['readiness'],
    });
    expect(definition).toMatchObject({
      name: 'coordination',
      source: "checks.etcd('coordination')",
      options: { timeout: 500, tags: ['readiness'] },
    });
    definition.build(resolve as unknown as DependencyResolver);
    expect(resolve).toHaveBeenCalledWith(
      'client',
      'ETCD',
      isEtcd3Client,
      'an etcd3 client (new Etcd3(...))',
    );
    client.close();
  });

  it('throws at bootstrap without a client, and at once for an option it does not take', () => {
    expect(() => etcd('c', {} as never).build(passThrough)).toThrow(
      readyCheckMissingOption(
        'etcd',
        'client',
        'an etcd3 client (new Etcd3(...))',
      ),
    );
    expect(() => etcd('c', { client: {}, prefix: 'x' } as never)).toThrow(
      unknownCheckOption("checks.etcd('c')", 'prefix', ['client']),
    );
  });
});

describe('checkEtcd outcomes (etcd3 with its calls mocked)', () => {
  it('passes with the round trip in ms and the version, leader (hex) and database size', async () => {
    const calls: string[] = [];
    const client = mockedClient(async (service, method) => {
      calls.push(`${service}.${method}`);
      return STATUS;
    });
    expect(await checkEtcd(client)).toEqual({
      passed: true,
      output: expect.stringMatching(
        /^status answered in \d+\.\d ms: etcd 3\.5\.9, leader 10, database 1\.5 KiB$/,
      ),
      observedValue: expect.any(Number),
      observedUnit: 'ms',
    });
    expect(calls).toEqual(['Maintenance.status']);
  });

  it('fails when the member knows no leader', async () => {
    const client = mockedClient(
      async () => ({ ...STATUS, leader: '0' }),
      ['http://10.0.0.1:2379', 'http://10.0.0.2:2379'],
    );
    expect(await checkEtcd(client)).toEqual({
      passed: false,
      output: `status against etcd at 10.0.0.1:2379, 10.0.0.2:2379 failed: ${etcdNoLeader}`,
    });
  });

  it('fails when the member reports errors (alarms)', async () => {
    const client = mockedClient(async () => ({
      ...STATUS,
      errors: ['etcdserver: mvcc: database space exceeded', 'NOSPACE'],
    }));
    expect((await checkEtcd(client)).output).toBe(
      `status against etcd at 10.0.0.1:2379 failed: ${etcdMemberErrors('etcdserver: mvcc: database space exceeded; NOSPACE')}`,
    );
  });

  it("explains etcd3's open circuit breaker", async () => {
    const client = mockedClient(() => Promise.reject(new BrokenCircuitError()));
    expect((await checkEtcd(client)).output).toBe(
      `status against etcd at 10.0.0.1:2379 failed: ${etcdCircuitOpen('Execution prevented because the circuit breaker is open')}`,
    );
  });

  it('fails when the signal aborts, and the next run waits for the unanswered call instead of adding one', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const exec = jest.fn(
      () => new Promise<unknown>((resolve) => (answer = resolve)),
    );
    const client = mockedClient(exec);

    const first = new AbortController();
    const run = checkEtcd(client, { signal: first.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    first.abort(new Error('timed out after 50 ms'));
    expect(await run).toEqual({
      passed: false,
      output:
        'status against etcd at 10.0.0.1:2379 failed: timed out after 50 ms',
    });

    const second = new AbortController();
    const next = checkEtcd(client, { signal: second.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    second.abort(new Error('timed out after 10 ms'));
    expect((await next).output).toMatch(
      /failed: timed out after 10 ms; the status sent \d+\.\d s earlier on the same client has not been answered yet$/,
    );
    expect(exec).toHaveBeenCalledTimes(1);

    answer(STATUS);
    exec.mockImplementation(async () => STATUS);
    expect((await checkEtcd(client)).passed).toBe(true);
  });

  it('cancels its gRPC call with a status etcd3 does not count as a fault when the signal aborts, and only then', async () => {
    const cancelled: Array<[number, string]> = [];
    let answer: (value: typeof STATUS) => void = () => undefined;
    const statusCall = jest.fn(
      (options?: { interceptors?: EtcdCallInterceptor[] }) => {
        options?.interceptors?.[0]({}, () => ({
          cancelWithStatus: (code: number, details: string) =>
            cancelled.push([code, details]),
        }));
        return new Promise<typeof STATUS>((resolve) => (answer = resolve));
      },
    );
    const client = {
      ...new Etcd3({ hosts: 'http://127.0.0.1:1' }),
      maintenance: { status: statusCall },
    } as unknown as Etcd3Like;

    const answered = new AbortController();
    const run = checkEtcd(client, { signal: answered.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    answer(STATUS);
    expect((await run).passed).toBe(true);
    answered.abort(new Error('late'));
    expect(cancelled).toEqual([]);

    const abandoned = new AbortController();
    const hung = checkEtcd(client, { signal: abandoned.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    abandoned.abort(new Error('timed out after 10 ms'));
    expect((await hung).passed).toBe(false);
    expect(cancelled).toEqual([[9, 'the health check abandoned the call']]);
    answer(STATUS);
  });

  it('fails at once for a signal that is already aborted, sending nothing', async () => {
    const exec = jest.fn(async () => STATUS);
    const client = mockedClient(exec);
    const outcome = await checkEtcd(client, {
      signal: AbortSignal.abort(new Error('shutting down')),
    });
    expect(outcome).toEqual({
      passed: false,
      output: 'status against etcd at 10.0.0.1:2379 failed: shutting down',
    });
    expect(exec).not.toHaveBeenCalled();
  });
});

describe('checkEtcd against a closed port (a real client)', () => {
  it("fails with gRPC's reason, without its empty resolution note", async () => {
    const port = await closedPort();
    const client = new Etcd3({ hosts: `http://127.0.0.1:${port}` });
    const outcome = await checkEtcd(client, {
      signal: AbortSignal.timeout(20_000),
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.output).toMatch(
      new RegExp(
        `^status against etcd at 127\\.0\\.0\\.1:${port} failed: 14 UNAVAILABLE: .*ECONNREFUSED 127\\.0\\.0\\.1:${port}$`,
      ),
    );
    client.close();
  });

  it('never shows the password of a host given as user:password@host, which gRPC repeats in its reason', async () => {
    const port = await closedPort();
    const client = new Etcd3({
      hosts: `http://bob:hunter2@127.0.0.1:${port}`,
    });
    const outcome = await checkEtcd(client, {
      signal: AbortSignal.timeout(20_000),
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.output).toContain(`***@127.0.0.1:${port}`);
    expect(outcome.output).not.toContain('hunter2');
    client.close();
  });
});
