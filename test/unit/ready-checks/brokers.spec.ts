import { jest } from '@jest/globals';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClientProxyFactory,
  MessagePattern,
  Transport,
  type ClientProxy,
} from '@nestjs/microservices';
import { connect as amqpConnect } from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { connect as natsConnect, type NatsConnection } from 'nats';
import { createServer, type Server, type Socket } from 'node:net';
import {
  kafkaNoMetadata,
  microservicePatternMissing,
  unknownCheckOption,
} from '../../../lib/healthcheck.messages.js';
import {
  amqp,
  checkAmqp as rawCheckAmqp,
} from '../../../lib/ready-checks/brokers/amqp.check.js';
import {
  isAmqpChannel,
  isAmqpClient,
  isAmqpConnection,
} from '../../../lib/ready-checks/brokers/amqp-client.js';
import { brokerChecks } from '../../../lib/ready-checks/brokers/index.js';
import {
  checkKafka as rawCheckKafka,
  kafka,
} from '../../../lib/ready-checks/brokers/kafka.check.js';
import {
  isKafka,
  isKafkaAdmin,
} from '../../../lib/ready-checks/brokers/kafka-client.js';
import {
  checkMicroservice as rawCheckMicroservice,
  microservice,
} from '../../../lib/ready-checks/brokers/microservice.check.js';
import { isClientProxy } from '../../../lib/ready-checks/brokers/microservice-client.js';
import {
  checkMqtt as rawCheckMqtt,
  mqtt,
} from '../../../lib/ready-checks/brokers/mqtt.check.js';
import { isMqttClient } from '../../../lib/ready-checks/brokers/mqtt-client.js';
import {
  checkNats as rawCheckNats,
  nats,
} from '../../../lib/ready-checks/brokers/nats.check.js';
import { isNatsConnection } from '../../../lib/ready-checks/brokers/nats-client.js';
import type { HealthCheckOutcome } from '../../../lib/interfaces/check.interface.js';
import type { DependencyResolver } from '../../../lib/ready-checks/health-check.definition.js';
import { closedPort, passThrough } from '../../support/ready-check.helpers.js';

/** The pure checks answer `{ passed, output, … }`; their declared type is the wider HealthCheckOutcome. */
type Outcome = {
  passed: boolean;
  output: string;
  observedValue?: number;
  observedUnit?: string;
};
const typed = <A extends unknown[]>(
  check: (...args: A) => Promise<HealthCheckOutcome>,
): ((...args: A) => Promise<Outcome>) =>
  check as (...args: A) => Promise<Outcome>;
const checkAmqp = typed(rawCheckAmqp);
const checkKafka = typed(rawCheckKafka);
const checkMicroservice = typed(rawCheckMicroservice);
const checkNats = typed(rawCheckNats);
const checkMqtt = typed(rawCheckMqtt);

const aborted = (message: string): AbortSignal =>
  AbortSignal.abort(new Error(message));

describe('the broker family', () => {
  it('exports the five builders, each carrying its pure function as run', () => {
    expect(Object.keys(brokerChecks)).toEqual([
      'amqp',
      'kafka',
      'nats',
      'mqtt',
      'microservice',
    ]);
    expect(brokerChecks.mqtt).toBe(mqtt);
    expect(amqp.run).toBe(checkAmqp);
    expect(kafka.run).toBe(checkKafka);
    expect(nats.run).toBe(checkNats);
    expect(mqtt.run).toBe(checkMqtt);
    expect(microservice.run).toBe(checkMicroservice);
  });

  it.each([
    ['amqp', amqp],
    ['kafka', kafka],
    ['nats', nats],
    ['mqtt', mqtt],
  ] as const)(
    'checks.%s refuses an option it does not take',
    (kind, builder) => {
      expect(() =>
        builder('x', { client: {}, clinet: {} } as never).build(passThrough),
      ).toThrow(
        unknownCheckOption(`checks.${kind}('x')`, 'clinet', ['client']),
      );
    },
  );

  it.each([
    ['amqp', amqp, isAmqpClient],
    ['kafka', kafka, isKafka],
    ['nats', nats, isNatsConnection],
    ['mqtt', mqtt, isMqttClient],
    ['microservice', microservice, isClientProxy],
  ] as const)(
    'checks.%s hands its client token to the resolver',
    (_kind, builder, predicate) => {
      const resolve = jest.fn(() => {
        throw new Error('no provider');
      });
      expect(() =>
        builder('x', {
          client: 'TOKEN',
          ...(_kind === 'microservice' ? { pattern: 'p' } : {}),
        } as never).build(resolve as unknown as DependencyResolver),
      ).toThrow('no provider');
      expect(resolve.mock.calls[0]?.slice(0, 2)).toEqual(['client', 'TOKEN']);
      const given = (resolve.mock.calls[0] as unknown[])[2] as (
        value: unknown,
      ) => boolean;
      expect(given('TOKEN')).toBe(predicate('TOKEN'));
    },
  );
});

describe('checks.amqp', () => {
  /** The method names of an amqplib ChannelModel, with a channel that opens and closes at once. */
  function fakeConnection(open: () => Promise<{ close: () => Promise<void> }>) {
    return {
      createChannel: jest.fn(open),
      createConfirmChannel: jest.fn(),
      close: jest.fn(),
      on: jest.fn(),
    };
  }

  it('tells connections, channels and tokens apart', () => {
    const channel = {
      checkExchange() {},
      checkQueue() {},
      consume() {},
      close() {},
    };
    expect(
      isAmqpConnection(
        fakeConnection(async () => ({ close: async () => undefined })),
      ),
    ).toBe(true);
    expect([isAmqpChannel(channel), isAmqpConnection(channel)]).toEqual([
      true,
      false,
    ]);
    expect(isAmqpClient('AMQP')).toBe(false);
  });

  it('opens a channel and closes it again on a connection', async () => {
    const closed = jest.fn(async () => undefined);
    const connection = fakeConnection(async () => ({ close: closed }));
    expect(await checkAmqp(connection as never)).toMatchObject({
      passed: true,
      output: expect.stringMatching(
        /^Channel.Open\/Close answered in \d+\.\d ms$/,
      ),
      observedUnit: 'ms',
    });
    expect(connection.createChannel).toHaveBeenCalledTimes(1);
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('closes a channel that opens after the run was abandoned', async () => {
    let open!: (channel: { close: () => Promise<void> }) => void;
    const connection = fakeConnection(
      () => new Promise((resolve) => (open = resolve)),
    );
    const controller = new AbortController();
    const run = checkAmqp(connection as never, { signal: controller.signal });
    await Promise.resolve();
    controller.abort(new Error('timed out after 10 ms'));
    expect(await run).toMatchObject({
      passed: false,
      output:
        'Channel.Open/Close against the amqp broker failed: timed out after 10 ms',
    });
    const closed = jest.fn(async () => undefined);
    open({ close: closed });
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('declares nothing on a channel: a passive check of amq.direct', async () => {
    const channel = {
      checkExchange: jest.fn(async () => ({})),
      checkQueue: jest.fn(),
      assertQueue: jest.fn(),
      consume: jest.fn(),
      close: jest.fn(),
    };
    expect((await checkAmqp(channel as never)).passed).toBe(true);
    expect(channel.checkExchange).toHaveBeenCalledWith('amq.direct');
    expect(channel.assertQueue).not.toHaveBeenCalled();
  });

  it('fails at once, naming why, on a real amqplib connection with recovery that cannot reach the broker', async () => {
    const port = await closedPort();
    const connection = await amqpConnect(
      `amqp://guest:secret@127.0.0.1:${port}`,
      {
        recovery: { waitForConnect: false, initialDelay: 50, maxDelay: 50 },
      } as never,
    );
    connection.on('error', () => undefined);
    expect(isAmqpConnection(connection)).toBe(true);
    const outcome = await checkAmqp(connection as never);
    expect(outcome).toEqual({
      passed: false,
      output:
        'Channel.Open/Close against the amqp broker failed: not sent: the connection is down and amqplib is reconnecting',
    });
    await connection.close();
  });
});

describe('checks.kafka', () => {
  const description = {
    brokers: [{ nodeId: 1, host: 'k', port: 9092 }],
    controller: 1,
    clusterId: 'c',
  };

  it('tells an Admin from a Kafka instance', () => {
    const client = new Kafka({
      brokers: ['127.0.0.1:1'],
      logLevel: logLevel.NOTHING,
    });
    const admin = client.admin();
    expect([isKafka(client), isKafkaAdmin(client)]).toEqual([true, false]);
    expect([isKafka(admin), isKafkaAdmin(admin)]).toEqual([false, true]);
  });

  it('passes when describeCluster answers (a structural fake: no Kafka server in Debian)', async () => {
    const admin = {
      describeCluster: jest.fn(async () => description),
      listTopics: jest.fn(),
      connect: jest.fn(),
      disconnect: jest.fn(),
    };
    expect(await checkKafka(admin as never)).toMatchObject({
      passed: true,
      output: expect.stringMatching(/^describeCluster answered in \d+\.\d ms$/),
    });
  });

  it('fails against a closed port with what kafkajs saw, and keeps one Admin for a Kafka instance', async () => {
    const port = await closedPort();
    const client = new Kafka({
      brokers: [`127.0.0.1:${port}`],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 500,
    });
    const made = jest.spyOn(client, 'admin');
    const check = kafka('events', { client }).build(
      passThrough,
    ) as unknown as ((context: {
      signal: AbortSignal;
    }) => Promise<{ passed: boolean; output: string }>) & {
      close(): Promise<void>;
    };
    for (let i = 0; i < 2; i += 1) {
      const outcome = await check({ signal: new AbortController().signal });
      expect(outcome.passed).toBe(false);
      expect(outcome.output).toMatch(
        new RegExp(
          `^describeCluster against the kafka cluster failed: .*ECONNREFUSED 127\\.0\\.0\\.1:${port}`,
        ),
      );
    }
    expect(made).toHaveBeenCalledTimes(1);
    await check.close();
  });

  it('words an empty metadata answer', async () => {
    const admin = {
      describeCluster: async () => {
        // What kafkajs throws when every broker failed and it reads the missing answer.
        throw new TypeError("Cannot destructure property 'brokers' of null");
      },
      listTopics: jest.fn(),
      connect: jest.fn(),
      disconnect: jest.fn(),
    };
    expect((await checkKafka(admin as never)).output).toBe(
      `describeCluster against the kafka cluster failed: ${kafkaNoMetadata}`,
    );
  });

  it('fails when the signal aborts; the next run waits for the unanswered request', async () => {
    const admin = {
      describeCluster: jest.fn(
        () => new Promise<typeof description>(() => undefined),
      ),
      listTopics: jest.fn(),
      connect: jest.fn(),
      disconnect: jest.fn(),
    };
    expect(
      (await checkKafka(admin as never, { signal: aborted('timed out') }))
        .output,
    ).toBe('describeCluster against the kafka cluster failed: timed out');
    const first = new AbortController();
    const run = checkKafka(admin as never, { signal: first.signal });
    await Promise.resolve();
    first.abort(new Error('timed out after 5 ms'));
    await run;
    const again = new AbortController();
    const next = checkKafka(admin as never, { signal: again.signal });
    await Promise.resolve();
    again.abort(new Error('timed out after 5 ms'));
    const second = await next;
    expect(second.output).toMatch(/has not been answered yet$/);
    expect(admin.describeCluster).toHaveBeenCalledTimes(1);
  });
});

/** Just enough of the NATS protocol for nats.js: INFO, then PONG for every PING unless muted. */
class FakeNatsServer {
  private readonly server: Server = createServer((socket) =>
    this.accept(socket),
  );
  private readonly sockets = new Set<Socket>();
  private owed = 0;
  muted = false;
  port = 0;

  async listen(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server.listen(0, '127.0.0.1', resolve),
    );
    this.port = (this.server.address() as { port: number }).port;
  }

  unmute(): void {
    this.muted = false;
    for (const socket of this.sockets)
      socket.write('PONG\r\n'.repeat(this.owed));
    this.owed = 0;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.write(
      `INFO ${JSON.stringify({ server_id: 'FAKE', version: '2.9.10', proto: 1, headers: true, max_payload: 1048576 })}\r\n`,
    );
    socket.on('data', (chunk) => {
      for (const line of chunk.toString().split('\r\n')) {
        if (line !== 'PING') continue;
        if (this.muted) this.owed += 1;
        else socket.write('PONG\r\n');
      }
    });
  }
}

describe('checks.nats with nats.js against a minimal protocol server', () => {
  let server: FakeNatsServer;
  let connection: NatsConnection;

  beforeAll(async () => {
    server = new FakeNatsServer();
    await server.listen();
    connection = await natsConnect({
      servers: `127.0.0.1:${server.port}`,
      reconnect: false,
    });
  });

  afterAll(async () => {
    await connection.close().catch(() => undefined);
    await server.close();
  });

  it('is recognised as a nats connection', () => {
    expect(isNatsConnection(connection)).toBe(true);
    expect(isNatsConnection({ publish() {} })).toBe(false);
  });

  it('passes on a PING/PONG round trip', async () => {
    expect(await checkNats(connection)).toMatchObject({
      passed: true,
      output: expect.stringMatching(/^PING answered in \d+\.\d ms$/),
      observedUnit: 'ms',
    });
  });

  it('fails when the signal aborts, and passes again once the PONG arrives', async () => {
    server.muted = true;
    const controller = new AbortController();
    const run = checkNats(connection, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('timed out after 30 ms')), 30);
    expect((await run).output).toBe(
      `PING against nats at 127.0.0.1:${server.port} failed: timed out after 30 ms`,
    );
    server.unmute();
    expect((await checkNats(connection)).passed).toBe(true);
  });

  it('fails at once with CONNECTION_CLOSED on a closed connection', async () => {
    const other = await natsConnect({
      servers: `127.0.0.1:${server.port}`,
      reconnect: false,
    });
    await other.close();
    expect((await checkNats(other)).output).toBe(
      `PING against nats at 127.0.0.1:${server.port} failed: CONNECTION_CLOSED (the client is closed)`,
    );
  });
});

@Controller()
class HealthController {
  @MessagePattern('health.ping')
  ping(): string {
    return 'pong';
  }

  @MessagePattern('health.never')
  never(): Promise<string> {
    return new Promise(() => undefined);
  }
}

@Module({ controllers: [HealthController] })
class MicroserviceModule {}

describe('checks.microservice with a Nest TCP microservice and ClientProxy', () => {
  let port: number;
  let app: INestMicroservice | undefined;
  let client: ClientProxy;

  const startApp = async (): Promise<void> => {
    app = await NestFactory.createMicroservice(MicroserviceModule, {
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port },
      logger: false,
    });
    await app.listen();
  };

  beforeAll(async () => {
    port = await closedPort();
    await startApp();
    client = ClientProxyFactory.create({
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port },
    });
  });

  afterAll(async () => {
    await client.close();
    await app?.close();
  });

  it('needs a pattern', () => {
    expect(() =>
      microservice('orders', { client } as never).build(passThrough),
    ).toThrow(microservicePatternMissing('microservice'));
    expect(() =>
      microservice('orders', {
        client,
        pattern: 'p',
        patern: 'p',
      } as never).build(passThrough),
    ).toThrow(
      unknownCheckOption("checks.microservice('orders')", 'patern', [
        'client',
        'pattern',
        'data',
      ]),
    );
  });

  it('passes when the microservice answers the pattern', async () => {
    expect(isClientProxy(client)).toBe(true);
    const check = microservice('orders', {
      client,
      pattern: 'health.ping',
    }).build(passThrough);
    expect(await check({ signal: new AbortController().signal })).toMatchObject(
      {
        passed: true,
        output: expect.stringMatching(
          /^send\('health\.ping'\) answered in \d+\.\d ms$/,
        ),
      },
    );
  });

  it('fails with the answer of a microservice that has no handler for the pattern', async () => {
    const outcome = await checkMicroservice(client, {
      pattern: { cmd: 'nobody' },
    });
    expect(outcome).toEqual({
      passed: false,
      output: `send({ cmd: 'nobody' }) against microservice ClientTCP at 127.0.0.1:${port} failed: There is no matching message handler defined in the remote service.`,
    });
  });

  it('fails while the microservice is down and passes with the same client when it is back', async () => {
    await app?.close();
    app = undefined;
    const down = await checkMicroservice(client, { pattern: 'health.ping' });
    expect(down.passed).toBe(false);
    expect(String((down as { output: unknown }).output)).toMatch(
      new RegExp(
        `^send\\('health\\.ping'\\) against microservice ClientTCP at 127\\.0\\.0\\.1:${port} failed: (Connection closed|.*ECONNREFUSED)`,
      ),
    );
    await startApp();
    expect(
      (await checkMicroservice(client, { pattern: 'health.ping' })).passed,
    ).toBe(true);
  });

  it('fails when the signal aborts and drops the pending request', async () => {
    const controller = new AbortController();
    const run = checkMicroservice(client, {
      pattern: 'health.never',
      signal: controller.signal,
    });
    const pending = (client as unknown as { routingMap: Map<unknown, unknown> })
      .routingMap;
    for (let i = 0; i < 100 && pending.size === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(pending.size).toBe(1);
    controller.abort(new Error('timed out after 20 ms'));
    const outcome = await run;
    expect((outcome as { output: unknown }).output).toMatch(
      /failed: timed out after 20 ms$/,
    );
    expect(
      (client as unknown as { routingMap: Map<unknown, unknown> }).routingMap
        .size,
    ).toBe(0);
  });
});
