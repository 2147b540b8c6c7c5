import { hasMethods } from '../shared/has-methods.js';
import { describeTarget } from '../shared/describe-target.js';

/** The parts of an mqtt.js `MqttClient` (v4 and later) the MQTT check uses. */
export interface MqttClientLike {
  /** Set from CONNACK until the connection closes: it never makes the check pass. */
  readonly connected: boolean;
  readonly reconnecting?: boolean;
  /** True once `end()` was called. */
  readonly disconnecting?: boolean;
  readonly disconnected?: boolean;
  unsubscribe(
    topic: string,
    options: object,
    callback: (error?: Error | null) => void,
  ): unknown;
  readonly options?: object;
}

/** What the MQTT check accepts, for messages. */
export const MQTT_CLIENT_EXPECTED =
  'an mqtt.js MqttClient (the result of mqtt.connect())';

/** Whether `value` looks like an mqtt.js client. */
export function isMqttClient(value: unknown): value is MqttClientLike {
  return (
    hasMethods(value, [
      'publish',
      'subscribe',
      'unsubscribe',
      'end',
      'reconnect',
    ]) && typeof (value as { connected?: unknown }).connected === 'boolean'
  );
}

/** `mqtt at 127.0.0.1:1883`, from the client's options; the password is never read. */
export function mqttTarget(client: MqttClientLike): string {
  const { hostname, host, port, path, protocol } = (client.options ??
    {}) as Record<string, unknown>;
  const kind =
    typeof protocol === 'string' && protocol !== '' ? protocol : 'mqtt';
  return describeTarget(kind, {
    host: hostname ?? host,
    port,
    socketPath: typeof path === 'string' && path !== '/' ? path : undefined,
  });
}
