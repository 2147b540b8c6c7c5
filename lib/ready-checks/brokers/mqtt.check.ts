import { randomUUID } from 'node:crypto';
import {
  mqttNotAClient,
  mqttNotConnected,
} from '../../healthcheck.messages.js';
import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { abortable } from '../shared/abortable.js';
import { clientOption } from '../shared/client-option.js';
import { afterEarlierProbe, trackProbe } from '../shared/earlier-probe.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import {
  isMqttClient,
  MQTT_CLIENT_EXPECTED,
  mqttTarget,
  type MqttClientLike,
} from './mqtt-client.js';

const UNSUBSCRIBE = 'UNSUBSCRIBE';

/** Options of `checks.mqtt`. */
export interface MqttCheckOptions {
  /** An mqtt.js MqttClient, or its DI token. */
  client: unknown;
}

/**
 * Sends UNSUBSCRIBE for a topic nobody subscribes to (`healthcheck/<random>`) and waits for the broker's
 * UNSUBACK, which MQTT requires even when no subscription matched. One round trip that leaves nothing behind:
 * no message is published (so nothing is retained or delivered to a `#` subscriber) and no subscription is
 * added to the session. A client that is reconnecting or closed fails at once; `connected` never makes the
 * check pass. An UNSUBSCRIBE abandoned at a time-out stays pending on the client until the broker answers or
 * the connection drops; until then the next run waits for it rather than adding another.
 */
export function checkMqtt(
  client: MqttClientLike,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  return timedRoundTrip(
    UNSUBSCRIBE,
    () => mqttTarget(client),
    signal,
    async () => {
      const down = notConnected(client);
      if (down) throw new Error(down);
      await afterEarlierProbe(client, UNSUBSCRIBE, signal);
      const work = unsubscribe(client, `healthcheck/${randomUUID()}`);
      trackProbe(client, work, UNSUBSCRIBE);
      await (signal ? abortable(work, signal) : work);
    },
  );
}

function unsubscribe(client: MqttClientLike, topic: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    client.unsubscribe(topic, {}, (error) =>
      error ? reject(error) : resolve(),
    );
  });
}

/** Why no UNSUBSCRIBE should be sent now, or undefined when the client may be connected. */
function notConnected(client: MqttClientLike): string | undefined {
  if (!isMqttClient(client)) return mqttNotAClient(describeKind(client));
  if (client.disconnecting === true || client.disconnected === true) {
    return mqttNotConnected('closed (end() was called)');
  }
  if (!client.connected) {
    return mqttNotConnected(
      client.reconnecting === true ? 'reconnecting' : 'not connected',
    );
  }
  return undefined;
}

/** `an object of class Client`, `null`: what was given instead of a client, never its content. */
function describeKind(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  const name = (value as object).constructor?.name;
  return name && name !== 'Object'
    ? `an object of class ${name}`
    : 'a plain object';
}

/** `checks.mqtt(name, { client })`: an UNSUBSCRIBE/UNSUBACK round trip on an mqtt.js client. */
export const mqtt = Object.assign(
  readyCheck<MqttCheckOptions>('mqtt', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption('mqtt', own, 'client', MQTT_CLIENT_EXPECTED),
      isMqttClient,
      MQTT_CLIENT_EXPECTED,
    );
    return ({ signal }) => checkMqtt(client, { signal });
  }),
  { run: checkMqtt },
);
