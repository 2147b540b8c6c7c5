import { jest } from '@jest/globals';
import { connect as amqpConnect } from 'amqplib';
import { connect as natsConnect, type NatsConnection } from 'nats';
import { amqp } from '../../lib/ready-checks/brokers/amqp.check.js';
import { nats } from '../../lib/ready-checks/brokers/nats.check.js';
import {
  buildCheck,
  runUntil,
  runWithTimeout,
  startNats,
  startRabbitmq,
} from './broker-servers.js';
import { expectTimeoutsWhileFrozen, runManyTimes } from './ready-check-runs.js';
import { waitFor } from './service-utils.js';

type Check = ReturnType<typeof buildCheck>;

// Budgets for a busy machine: a test is bounded by its runs and by the server, not raced against a clock.
jest.setTimeout(300_000);
/** A run's time-out where the run is expected to answer: only a guard against a hang. */
const ANSWER_MS = 10_000;

describe('checks.amqp against rabbitmq-server', () => {
  let rabbit: Awaited<ReturnType<typeof startRabbitmq>>;
  let url: string;
  const closers: Array<() => Promise<unknown>> = [];

  const lines = async (args: string[]): Promise<string[]> =>
    (await rabbit.ctl(args)).split('\n').filter((line) => line.trim() !== '');

  const connectPlain = async () => {
    const connection = await amqpConnect(url);
    connection.on('error', () => undefined);
    closers.push(() => connection.close());
    return connection;
  };

  beforeAll(async () => {
    rabbit = await startRabbitmq();
    url = `amqp://guest:guest@127.0.0.1:${rabbit.port}`;
  }, 300_000);

  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await rabbit?.dispose();
  }, 120_000);

  const clients: Array<
    [string, () => Promise<{ client: unknown; what: string }>]
  > = [
    [
      'a connection',
      async () => ({
        client: await connectPlain(),
        what: 'Channel.Open/Close',
      }),
    ],
    [
      'a channel',
      async () => {
        const channel = await (await connectPlain()).createChannel();
        channel.on('error', () => undefined);
        return { client: channel, what: "checkExchange('amq.direct')" };
      },
    ],
  ];

  describe.each(clients)('given %s', (_label, make) => {
    let check: Check;
    let what: string;

    beforeAll(async () => {
      const made = await make();
      what = made.what;
      check = buildCheck(amqp('broker', { client: made.client }));
    });

    it('passes while the broker is up, with the round trip in ms', async () => {
      expect(await runWithTimeout(check, ANSWER_MS)).toMatchObject({
        passed: true,
        output: expect.stringMatching(
          new RegExp(`^${escape(what)} answered in \\d+\\.\\d ms$`),
        ),
      });
    });

    it('leaves no connection, channel or queue behind after 1,000 runs', async () => {
      const connections = await lines(['list_connections', 'name']);
      const channels = await lines(['list_channels', 'name']);
      await runManyTimes(check, {
        timeoutMs: ANSWER_MS,
        label: `amqp, ${_label}`,
      });
      expect(await lines(['list_connections', 'name'])).toEqual(connections);
      expect(await lines(['list_channels', 'name'])).toEqual(channels);
      expect(await lines(['list_queues', 'name'])).toEqual([]);
    });

    it('fails at the time-out while the broker hangs, and the client works after SIGCONT', async () => {
      const channels = await lines(['list_channels', 'name']);
      await expectTimeoutsWhileFrozen(check, rabbit);
      expect((await runUntil(check, (outcome) => outcome.passed)).passed).toBe(
        true,
      );
      // The channel opened after the time-out was closed again.
      await waitFor(
        'the late channel to close',
        async () =>
          (await lines(['list_channels', 'name'])).length === channels.length,
      );
    });
  });

  it('fails clearly when the broker stops right after a passing run; a connection with recovery passes again when it is back', async () => {
    const recovering = await amqpConnect(url, {
      recovery: { initialDelay: 100, maxDelay: 500 },
    } as never);
    recovering.on('error', () => undefined);
    closers.push(() => recovering.close());
    const withRecovery = buildCheck(amqp('broker', { client: recovering }));
    const plain = buildCheck(amqp('broker', { client: await connectPlain() }));
    const channel = await (await connectPlain()).createChannel();
    channel.on('error', () => undefined);
    const onChannel = buildCheck(amqp('broker', { client: channel }));
    expect((await runWithTimeout(withRecovery, ANSWER_MS)).passed).toBe(true);
    expect((await runWithTimeout(plain, ANSWER_MS)).passed).toBe(true);
    expect((await runWithTimeout(onChannel, ANSWER_MS)).passed).toBe(true);

    await rabbit.stop();
    const target = `amqp at 127\\.0\\.0\\.1:${rabbit.port}`;
    // At once, on a channel whose connection the broker has just closed: a clean failure.
    expect((await runWithTimeout(onChannel, ANSWER_MS)).output).toMatch(
      new RegExp(
        `^checkExchange\\('amq\\.direct'\\) against ${target} failed: .+`,
      ),
    );
    expect(
      (await runUntil(withRecovery, (outcome) => !outcome.passed)).output,
    ).toMatch(
      new RegExp(
        `^Channel.Open/Close against ${target} failed: not sent: the connection is down`,
      ),
    );
    expect((await runWithTimeout(plain, ANSWER_MS)).output).toMatch(
      new RegExp(
        `^Channel.Open/Close against ${target} failed: .*(closed|CONNECTION_FORCED)`,
        'i',
      ),
    );

    await rabbit.start();
    expect(
      (await runUntil(withRecovery, (outcome) => outcome.passed)).passed,
    ).toBe(true);
    // amqplib without `recovery` never reconnects: that connection stays failed, and says so.
    expect((await runWithTimeout(plain, ANSWER_MS)).passed).toBe(false);
    expect((await runWithTimeout(onChannel, ANSWER_MS)).passed).toBe(false);
    expect(await lines(['list_queues', 'name'])).toEqual([]);
  });
});

describe('checks.nats against nats-server', () => {
  let server: Awaited<ReturnType<typeof startNats>>;
  let connection: NatsConnection;
  let check: Check;

  const connz = async (): Promise<number> => {
    const response = await fetch(
      `http://127.0.0.1:${server.monitorPort}/connz`,
    );
    return ((await response.json()) as { num_connections: number })
      .num_connections;
  };

  beforeAll(async () => {
    server = await startNats();
    connection = await natsConnect({
      servers: `127.0.0.1:${server.port}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 100,
    });
    check = buildCheck(nats('bus', { client: connection }));
  });

  afterAll(async () => {
    await connection?.close().catch(() => undefined);
    await server?.dispose();
  });

  it('passes while the server is up, with the round trip in ms', async () => {
    expect(await runWithTimeout(check, ANSWER_MS)).toMatchObject({
      passed: true,
      output: expect.stringMatching(/^PING answered in \d+\.\d ms$/),
    });
  });

  it('leaves no extra connection behind after 1,000 runs', async () => {
    expect(await connz()).toBe(1);
    await runManyTimes(check, { timeoutMs: ANSWER_MS, label: 'nats' });
    expect(await connz()).toBe(1);
  });

  it('fails at the time-out while the server hangs, and the connection works after SIGCONT', async () => {
    await expectTimeoutsWhileFrozen(check, server);
    expect((await runUntil(check, (outcome) => outcome.passed)).passed).toBe(
      true,
    );
    const reply = connection.subscribe('user.subject', { max: 1 });
    connection.publish('user.subject', 'still works');
    for await (const message of reply)
      expect(message.string()).toBe('still works');
  });

  it('fails with a clear output when the server stops right after a passing run, and passes again when it is back', async () => {
    expect((await runWithTimeout(check, ANSWER_MS)).passed).toBe(true);
    await server.stop();
    // At once: the client may not have seen its socket close yet.
    const atOnce = await runWithTimeout(check, ANSWER_MS);
    expect(atOnce.passed).toBe(false);
    expect(String(atOnce.output)).toMatch(
      new RegExp(
        `^(PING against nats at 127\\.0\\.0\\.1:${server.port} failed: .+|timed out after ${ANSWER_MS} ms)$`,
      ),
    );
    expect((await runUntil(check, (outcome) => !outcome.passed)).output).toBe(
      `PING against nats at 127.0.0.1:${server.port} failed: DISCONNECT (the client is reconnecting)`,
    );
    await server.start();
    expect((await runUntil(check, (outcome) => outcome.passed)).passed).toBe(
      true,
    );
    expect(await connz()).toBe(1);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
