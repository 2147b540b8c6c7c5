import { jest } from '@jest/globals';
import mqttjs, { type MqttClient } from 'mqtt';
import { isMqttClient } from '../../lib/ready-checks/brokers/mqtt-client.js';
import { mqtt } from '../../lib/ready-checks/brokers/mqtt.check.js';
import {
  buildCheck,
  runUntil,
  runWithTimeout,
  startMosquitto,
  type BrokerServer,
} from './broker-servers.js';
import {
  expectTimeouts,
  runManyTimes,
  whileFrozen,
} from './ready-check-runs.js';
import { run, waitFor } from './service-utils.js';

// Budgets for a busy machine: a test is bounded by its runs and by the server, not raced against a clock.
jest.setTimeout(300_000);
/** A run's time-out where the run is expected to answer: only a guard against a hang. */
const ANSWER_MS = 10_000;

/** Established TCP connections to the broker's port, as the kernel lists them from the broker's side. */
async function connections(server: BrokerServer): Promise<number> {
  const listed = await run('ss', [
    '-Htn',
    'state',
    'established',
    `( sport = :${server.port} )`,
  ]);
  return listed.split('\n').filter((line) => line.trim() !== '').length;
}

/** Every listener the client holds, over all its events. */
const listeners = (client: MqttClient): number =>
  client
    .eventNames()
    .reduce((sum, event) => sum + client.listenerCount(event), 0);

/** A publish from a client of its own, to prove the user's client still receives what it subscribed to. */
async function deliveredTo(
  client: MqttClient,
  port: number,
  topic: string,
): Promise<boolean> {
  const received = new Promise<boolean>((resolve) => {
    const onMessage = (arrived: string): void => {
      if (arrived !== topic) return;
      client.off('message', onMessage);
      resolve(true);
    };
    client.on('message', onMessage);
  });
  await client.subscribeAsync(topic, { qos: 1 });
  const publisher = await mqttjs.connectAsync(`mqtt://127.0.0.1:${port}`);
  await publisher.publishAsync(topic, 'hello', { qos: 1 });
  await publisher.endAsync();
  let timer: NodeJS.Timeout | undefined;
  const ok = await Promise.race([
    received,
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), 10_000);
    }),
  ]);
  clearTimeout(timer);
  await client.unsubscribeAsync(topic);
  return ok;
}

let server: BrokerServer;

beforeAll(async () => {
  server = await startMosquitto();
});

afterAll(async () => {
  await server?.dispose();
});

describe.each([
  ['MQTT 3.1.1', 4],
  ['MQTT 5', 5],
] as const)(
  'checks.mqtt with mqtt.js (%s) against mosquitto',
  (protocol, version) => {
    let client: MqttClient;
    let check: ReturnType<typeof buildCheck>;

    beforeAll(async () => {
      client = await mqttjs.connectAsync(`mqtt://127.0.0.1:${server.port}`, {
        protocolVersion: version,
        reconnectPeriod: 200,
        connectTimeout: 5_000,
      });
      client.on('error', () => undefined);
      check = buildCheck(mqtt('broker', { client }));
    });

    afterAll(async () => {
      await client?.endAsync(true);
    });

    it('passes on an UNSUBSCRIBE/UNSUBACK round trip, with the time in ms', async () => {
      expect(isMqttClient(client)).toBe(true);
      expect(await check({ signal: new AbortController().signal })).toEqual({
        passed: true,
        output: expect.stringMatching(/^UNSUBSCRIBE answered in \d+\.\d ms$/),
        observedValue: expect.any(Number),
        observedUnit: 'ms',
      });
      // The client the user holds, typed as mqtt.js types it, is what `.run` takes.
      expect((await mqtt.run(client)).passed).toBe(true);
    });

    it('leaves no connection, listener or pending packet behind after 1,000 runs', async () => {
      const connectionsBefore = await connections(server);
      const listenersBefore = listeners(client);
      await runManyTimes(check, {
        timeoutMs: ANSWER_MS,
        label: `mqtt (${protocol})`,
      });
      expect(await connections(server)).toBe(connectionsBefore);
      expect(listeners(client)).toBe(listenersBefore);
      expect(Object.keys(client.outgoing)).toEqual([]);
    });

    it('publishes nothing: a client subscribed to every topic receives no message during the runs', async () => {
      const watcher = await mqttjs.connectAsync(
        `mqtt://127.0.0.1:${server.port}`,
      );
      const seen: string[] = [];
      watcher.on('message', (topic) => seen.push(topic));
      await watcher.subscribeAsync('#', { qos: 1 });
      for (let i = 0; i < 50; i += 1) {
        expect((await runWithTimeout(check, ANSWER_MS)).passed).toBe(true);
      }
      // A message of its own after the runs: once it arrives, anything published before it has arrived too.
      await watcher.publishAsync('watcher/fence', 'x', { qos: 1 });
      await waitFor('the fence message', () => seen.includes('watcher/fence'));
      expect(seen).toEqual(['watcher/fence']);
      await watcher.endAsync();
    });

    it('fails at the time-out while the broker hangs, and the client works after SIGCONT', async () => {
      const listenersBefore = listeners(client);
      await whileFrozen(server, async () => {
        expect(client.connected).toBe(true);
        await expectTimeouts(check);
      });
      expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
        passed: true,
      });
      expect(await deliveredTo(client, server.port, 'user/after-hang')).toBe(
        true,
      );
      expect(listeners(client)).toBe(listenersBefore);
      expect(Object.keys(client.outgoing)).toEqual([]);
    });

    it('fails with a clear output when the broker stops, and passes again with the same client when it is back', async () => {
      expect((await runWithTimeout(check, ANSWER_MS)).passed).toBe(true);
      await server.stop();
      const down = await runUntil(check, (outcome) => !outcome.passed);
      expect(down.output).toMatch(
        new RegExp(
          `^UNSUBSCRIBE against mqtt at 127\\.0\\.0\\.1:${server.port} failed: (not sent: the MQTT client is (reconnecting|not connected)|.*(Connection closed|ECONNRESET))`,
        ),
      );
      process.stdout.write(`mqtt (${protocol}) while down: ${down.output}\n`);
      await server.start();
      expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
        passed: true,
      });
      expect(await deliveredTo(client, server.port, 'user/back')).toBe(true);
    });
  },
);

describe('checks.mqtt on a client that was ended', () => {
  it('fails at once, saying end() was called', async () => {
    const client = await mqttjs.connectAsync(`mqtt://127.0.0.1:${server.port}`);
    await client.endAsync();
    const outcome = await runWithTimeout(
      buildCheck(mqtt('broker', { client })),
      ANSWER_MS,
    );
    expect(outcome.output).toBe(
      `UNSUBSCRIBE against mqtt at 127.0.0.1:${server.port} failed: not sent: the MQTT client is closed (end() was called)`,
    );
  });
});
