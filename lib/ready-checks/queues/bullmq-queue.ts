import { hasMethods } from '../shared/has-methods.js';
import { describeTarget } from '../shared/describe-target.js';

/** The job states the BullMQ check counts, in the order the output names them. */
export const COUNTED_STATES = [
  'waiting',
  'active',
  'delayed',
  'failed',
] as const;

/** One of the counted job states. */
export type CountedState = (typeof COUNTED_STATES)[number];

/** The parts of a BullMQ `Queue` (v3 and later) the check uses. */
export interface BullmqQueueLike {
  readonly name: string;
  /** One script call on the queue's own Redis connection: a count per state asked for. */
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
  /** `CLIENT LIST` on the queue's connection, filtered to the queue's workers. */
  getWorkersCount(): Promise<number>;
  readonly opts?: { connection?: unknown };
}

/** What the BullMQ check accepts, for messages. */
export const BULLMQ_QUEUE_EXPECTED = 'a BullMQ Queue';

/** Whether `value` looks like a BullMQ Queue (a Worker, QueueEvents or FlowProducer has no job counts). */
export function isBullmqQueue(value: unknown): value is BullmqQueueLike {
  return (
    hasMethods(value, ['getJobCounts', 'getWorkersCount', 'add', 'close']) &&
    typeof (value as { name?: unknown }).name === 'string'
  );
}

/** An ioredis client given as the queue's `connection`, as far as the check reads it. */
interface IoredisConnectionLike {
  status: string;
  options?: { host?: unknown; port?: unknown; path?: unknown };
}

/** The ioredis client the user gave as the queue's connection, if that is what it is. */
export function sharedIoredis(
  queue: BullmqQueueLike,
): IoredisConnectionLike | undefined {
  const connection = queue.opts?.connection as
    Partial<IoredisConnectionLike> | undefined;
  return typeof connection?.status === 'string' &&
    typeof (connection as { sendCommand?: unknown }).sendCommand === 'function'
    ? (connection as IoredisConnectionLike)
    : undefined;
}

/** `BullMQ queue "emails" on redis at 127.0.0.1:6379`, from the queue's connection options; no password read. */
export function bullmqTarget(queue: BullmqQueueLike): string {
  const connection = (sharedIoredis(queue)?.options ??
    queue.opts?.connection ??
    {}) as { host?: unknown; port?: unknown; path?: unknown; url?: unknown };
  const redis = describeTarget('redis', {
    host: connection.host,
    port: connection.port,
    socketPath: connection.path,
    url: connection.url,
  });
  return `BullMQ queue "${queue.name}" on ${redis === 'redis' ? 'redis at localhost:6379' : redis}`;
}
