import { hasMethods } from '../shared/has-methods.js';

/** What kafkajs `admin.describeCluster()` answers. */
export interface KafkaClusterDescription {
  brokers: Array<{ nodeId: number; host: string; port: number }>;
  controller: number | null;
  clusterId: string;
}

/** The parts of a kafkajs Admin the Kafka check uses. */
export interface KafkaAdminLike {
  describeCluster(): Promise<KafkaClusterDescription>;
  listTopics(): Promise<string[]>;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

/** The parts of a kafkajs `Kafka` instance the Kafka check uses. */
export interface KafkaLike {
  admin(): KafkaAdminLike;
  producer(...args: never[]): unknown;
  consumer(...args: never[]): unknown;
}

/** A kafkajs Admin or Kafka instance. */
export type KafkaClientLike = KafkaAdminLike | KafkaLike;

/** What the Kafka check accepts, for messages. */
export const KAFKA_CLIENT_EXPECTED =
  'a kafkajs Admin (kafka.admin()) or Kafka instance';

/** Whether `value` looks like a kafkajs Admin. */
export function isKafkaAdmin(value: unknown): value is KafkaAdminLike {
  return hasMethods(value, [
    'describeCluster',
    'listTopics',
    'connect',
    'disconnect',
  ]);
}

/** Whether `value` looks like a kafkajs `Kafka` instance. */
export function isKafka(value: unknown): value is KafkaLike {
  return hasMethods(value, ['admin', 'producer', 'consumer']);
}

/** Whether `value` is a kafkajs Admin or Kafka instance. */
export function isKafkaClient(value: unknown): value is KafkaClientLike {
  return isKafkaAdmin(value) || isKafka(value);
}
