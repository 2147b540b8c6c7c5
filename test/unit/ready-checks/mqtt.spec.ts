import { jest } from '@jest/globals';
import mqttjs from 'mqtt';
import {
  mqttNotAClient,
  readyCheckMissingOption,
  unknownCheckOption,
} from '../../../lib/healthcheck.messages.js';
import { brokerChecks } from '../../../lib/ready-checks/brokers/index.js';
import {
  isMqttClient,
  mqttTarget,
} from '../../../lib/ready-checks/brokers/mqtt-client.js';
import {
  checkMqtt,
  mqtt,
} from '../../../lib/ready-checks/brokers/mqtt.check.js';
import type { DependencyResolver } from '../../../lib/ready-checks/health-check.definition.js';
import { closedPort, passThrough } from '../../support/ready-check.helpers.js';

type Callback = (error?: Error | null) => void;

/** A structural mqtt.js client whose broker answers as the test decides. */
function fakeClient(state: Partial<Record<string, boolean>> = {}) {
  const pending: Array<{ topic: string; callback: Callback }> = [];
  const noop = (): void => undefined;
  return {
    connected: true,
    reconnecting: false,
    disconnecting: false,
    disconnected: false,
    ...state,
    options: { protocol: 'mqtts', hostname: 'broker.internal', port: 8883 },
    pending,
    unsubscribe: jest.fn(
      (topic: string, _options: object, callback: Callback) => {
        pending.push({ topic, callback });
      },
    ),
    publish: noop,
    subscribe: noop,
    end: noop,
    reconnect: noop,
  };
}

const ENDED = 'not sent: the MQTT client is closed (end() was called)';

describe('mqtt client detection', () => {
  it('recognises a real MqttClient (never connected) and refuses tokens and other shapes', async () => {
    const port = await closedPort();
    const client = mqttjs.connect(`mqtt://127.0.0.1:${port}`, {
      reconnectPeriod: 0,
    });
    client.on('error', () => undefined);
    expect(isMqttClient(client)).toBe(true);
    expect(mqttTarget(client)).toBe(`mqtt at 127.0.0.1:${port}`);
    for (const value of [
      'MQTT',
      Symbol('MQTT'),
      null,
      { ...fakeClient(), connected: undefined },
      { unsubscribe: () => undefined, connected: true },
    ]) {
      expect(isMqttClient(value)).toBe(false);
    }
    await client.endAsync(true);
  });
});

describe('checkMqtt', () => {
  it('sends one UNSUBSCRIBE of a fresh healthcheck/ topic and passes on its UNSUBACK', async () => {
    const client = fakeClient();
    const run = checkMqtt(client);
    await new Promise((resolve) => setImmediate(resolve));
    const second = checkMqtt(client);
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.unsubscribe).toHaveBeenCalledTimes(1);
    client.pending[0].callback(null);
    await new Promise((resolve) => setImmediate(resolve));
    client.pending[1].callback();
    expect(await run).toEqual({
      passed: true,
      output: expect.stringMatching(/^UNSUBSCRIBE answered in \d+\.\d ms$/),
      observedValue: expect.any(Number),
      observedUnit: 'ms',
    });
    expect((await second).passed).toBe(true);
    const [first, next] = client.pending.map(({ topic }) => topic);
    expect(first).toMatch(/^healthcheck\/[0-9a-f-]{36}$/);
    expect(next).not.toBe(first);
  });

  it.each([
    [
      { connected: false, reconnecting: true },
      'not sent: the MQTT client is reconnecting',
    ],
    [{ connected: false }, 'not sent: the MQTT client is not connected'],
    [{ disconnecting: true }, ENDED],
    [{ connected: false, disconnected: true }, ENDED],
  ])(
    'fails at once, sending nothing, for a client in state %p',
    async (state, reason) => {
      const client = fakeClient(state);
      expect(await checkMqtt(client)).toEqual({
        passed: false,
        output: `UNSUBSCRIBE against mqtts at broker.internal:8883 failed: ${reason}`,
      });
      expect(client.unsubscribe).not.toHaveBeenCalled();
    },
  );

  it('says a client of another library is not an mqtt.js client, never that it is not connected, and shows none of its content', async () => {
    class Client {
      servers = [{ password: 'hunter2' }];
      get(): void {}
    }
    const outcome = await checkMqtt(new Client() as never);
    expect(outcome).toEqual({
      passed: false,
      output: `UNSUBSCRIBE against mqtt failed: ${mqttNotAClient('an object of class Client')}`,
    });
  });

  it('fails with what the client answered', async () => {
    const client = fakeClient();
    const run = checkMqtt(client);
    await new Promise((resolve) => setImmediate(resolve));
    client.pending[0].callback(new Error('Connection closed'));
    expect((await run).output).toBe(
      'UNSUBSCRIBE against mqtts at broker.internal:8883 failed: Connection closed',
    );
  });

  it('fails when the signal aborts; the next run waits for the unanswered UNSUBSCRIBE instead of adding one', async () => {
    const client = fakeClient();
    const first = new AbortController();
    const hung = checkMqtt(client, { signal: first.signal });
    await new Promise((resolve) => setImmediate(resolve));
    first.abort(new Error('timed out after 300 ms'));
    expect((await hung).output).toBe(
      'UNSUBSCRIBE against mqtts at broker.internal:8883 failed: timed out after 300 ms',
    );
    const second = new AbortController();
    const waiting = checkMqtt(client, { signal: second.signal });
    await new Promise((resolve) => setImmediate(resolve));
    second.abort(new Error('timed out after 300 ms'));
    expect((await waiting).output).toMatch(
      /failed: timed out after 300 ms; the UNSUBSCRIBE sent \d+\.\d s earlier on the same client has not been answered yet$/,
    );
    expect(client.unsubscribe).toHaveBeenCalledTimes(1);
    client.pending[0].callback(null);
    const after = checkMqtt(client);
    await new Promise((resolve) => setImmediate(resolve));
    client.pending[1].callback(null);
    expect((await after).passed).toBe(true);
  });
});

describe('checks.mqtt options', () => {
  it('is the mqtt entry of the broker family and carries its pure function as run', () => {
    expect(brokerChecks.mqtt).toBe(mqtt);
    expect(mqtt.run).toBe(checkMqtt);
  });

  it('hands the client option, instance or token, to the resolver at bootstrap', () => {
    const resolve = jest.fn(() => fakeClient());
    const definition = mqtt('broker', { client: 'MQTT', critical: false });
    expect(definition).toMatchObject({
      name: 'broker',
      source: "checks.mqtt('broker')",
      options: { critical: false },
    });
    definition.build(resolve as unknown as DependencyResolver);
    expect(resolve).toHaveBeenCalledWith(
      'client',
      'MQTT',
      isMqttClient,
      'an mqtt.js MqttClient (the result of mqtt.connect())',
    );
  });

  it('refuses a missing client at bootstrap and an unknown option at once', () => {
    expect(() => mqtt('broker', {} as never).build(passThrough)).toThrow(
      readyCheckMissingOption(
        'mqtt',
        'client',
        'an mqtt.js MqttClient (the result of mqtt.connect())',
      ),
    );
    expect(() => mqtt('broker', { client: {}, topic: 'x' } as never)).toThrow(
      unknownCheckOption("checks.mqtt('broker')", 'topic', ['client']),
    );
  });
});
