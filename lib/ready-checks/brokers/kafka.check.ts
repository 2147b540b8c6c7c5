import { kafkaNoMetadata } from '../../healthcheck.messages.js';
import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { abortable } from '../shared/abortable.js';
import { clientOption } from '../shared/client-option.js';
import { afterEarlierProbe, trackProbe } from '../shared/earlier-probe.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import {
  isKafkaAdmin,
  isKafkaClient,
  KAFKA_CLIENT_EXPECTED,
  type KafkaAdminLike,
  type KafkaClientLike,
  type KafkaLike,
} from './kafka-client.js';

const DESCRIBE_CLUSTER = 'describeCluster';

/** Options of `checks.kafka`. */
export interface KafkaCheckOptions {
  /** A kafkajs Admin or Kafka instance, or its DI token. */
  client: unknown;
}

const admins = new WeakMap<KafkaLike, KafkaAdminLike>();

/** The one Admin the check keeps for a Kafka instance: made on first use, never one per run. */
function adminOf(client: KafkaClientLike): KafkaAdminLike {
  if (isKafkaAdmin(client)) return client;
  let admin = admins.get(client);
  if (!admin) {
    admin = client.admin();
    admins.set(client, admin);
  }
  return admin;
}

/** Disconnects the Admin that `checks.kafka` (or its `.run`) made for `kafka`, if any: call it on shutdown. */
export async function releaseKafkaAdmin(kafka: object): Promise<void> {
  const admin = admins.get(kafka as KafkaLike);
  if (!admin) return;
  admins.delete(kafka as KafkaLike);
  await admin.disconnect();
}

/**
 * Asks the cluster for its metadata with `describeCluster()` (the Admin connects on first use and keeps its
 * connection). kafkajs takes no AbortSignal: at a time-out the run fails at once while kafkajs finishes its own
 * retries in the background, and the next run waits for them rather than starting another.
 */
export function checkKafka(
  client: KafkaClientLike,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  return timedRoundTrip(
    DESCRIBE_CLUSTER,
    () => 'the kafka cluster',
    signal,
    async () => {
      const admin = adminOf(client);
      await afterEarlierProbe(admin, DESCRIBE_CLUSTER, signal);
      const work = describe(admin);
      trackProbe(admin, work);
      await (signal ? abortable(work, signal) : work);
    },
  );
}

async function describe(admin: KafkaAdminLike): Promise<void> {
  let cluster: KafkaClusterLike;
  try {
    cluster = await admin.describeCluster();
  } catch (error) {
    // kafkajs swallows each broker's error and then fails to read the missing answer.
    if (error instanceof TypeError) {
      throw new Error(kafkaNoMetadata, { cause: error });
    }
    throw error;
  }
  if (!Array.isArray(cluster?.brokers) || cluster.brokers.length === 0) {
    throw new Error(kafkaNoMetadata);
  }
}

type KafkaClusterLike = Awaited<ReturnType<KafkaAdminLike['describeCluster']>>;

/**
 * `checks.kafka(name, { client })`: `describeCluster()` through a kafkajs Admin or Kafka instance. The built
 * check function carries `close()`, which disconnects an Admin the check made.
 */
export const kafka = Object.assign(
  readyCheck<KafkaCheckOptions>('kafka', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption('kafka', own, 'client', KAFKA_CLIENT_EXPECTED),
      isKafkaClient,
      KAFKA_CLIENT_EXPECTED,
    );
    return Object.assign(
      ({ signal }: { signal: AbortSignal }) => checkKafka(client, { signal }),
      { close: () => releaseKafkaAdmin(client) },
    );
  }),
  { run: checkKafka },
);
