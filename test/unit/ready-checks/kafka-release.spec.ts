import { jest } from '@jest/globals';
import { checks, releaseKafkaAdmin } from '../../../lib/index.js';

/** A kafkajs Kafka instance whose Admin answers describeCluster and counts its connects and disconnects. */
function fakeKafka() {
  const admin = {
    connect: jest.fn(async () => undefined),
    disconnect: jest.fn(async () => undefined),
    listTopics: jest.fn(async () => []),
    describeCluster: jest.fn(async () => ({
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092 }],
      controller: 1,
      clusterId: 'c',
    })),
  };
  const kafka = {
    admin: jest.fn(() => admin),
    producer: () => ({}),
    consumer: () => ({}),
  };
  return { kafka, admin };
}

describe('releaseKafkaAdmin, from the package', () => {
  it('disconnects the Admin that checks.kafka.run made for a Kafka instance, once', async () => {
    const { kafka, admin } = fakeKafka();
    expect((await checks.kafka.run(kafka)).passed).toBe(true);
    expect((await checks.kafka.run(kafka)).passed).toBe(true);
    expect(kafka.admin).toHaveBeenCalledTimes(1);
    await releaseKafkaAdmin(kafka);
    await releaseKafkaAdmin(kafka);
    expect(admin.disconnect).toHaveBeenCalledTimes(1);
  });

  it('a run after the release makes a new Admin', async () => {
    const { kafka } = fakeKafka();
    await checks.kafka.run(kafka);
    await releaseKafkaAdmin(kafka);
    await checks.kafka.run(kafka);
    expect(kafka.admin).toHaveBeenCalledTimes(2);
  });

  it('leaves an Admin the user gave alone', async () => {
    const { admin } = fakeKafka();
    await checks.kafka.run(admin);
    await releaseKafkaAdmin(admin);
    expect(admin.disconnect).not.toHaveBeenCalled();
  });
});
