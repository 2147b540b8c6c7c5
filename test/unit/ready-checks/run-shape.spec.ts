import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checks } from '../../../lib/ready-checks/checks.js';
import type {
  ReadyCheckOutcome,
  ReadyCheckRunOptions,
} from '../../../lib/ready-checks/shared/ready-check.outcome.js';
import { FakePgPool } from '../../fixtures/ready-checks/checked-out-fakes.js';

/** The one shape of every `.run`: a client or options, then an optional `{ signal }`; one outcome type. */
type Run<Subject> = (
  subject: Subject,
  extra?: ReadyCheckRunOptions,
) => Promise<ReadyCheckOutcome>;

// Compiled by `tsc --noEmit`: each family's `.run` is assignable to the shared shape.
export const shapes: ReadonlyArray<Run<never>> = [
  checks.disk.run,
  checks.eventLoop.run,
  checks.heap.run,
  checks.rss.run,
  checks.http.run,
  checks.tcp.run,
  checks.dns.run,
  checks.grpc.run,
  checks.typeorm.run,
  checks.sequelize.run,
  checks.mikroorm.run,
  checks.prisma.run,
  checks.drizzle.run,
  checks.knex.run,
  checks.pg.run,
  checks.mysql2.run,
  checks.mongoose.run,
  checks.mongodb.run,
  checks.redis.run,
  checks.amqp.run,
  checks.kafka.run,
  checks.nats.run,
  checks.mqtt.run,
  checks.bullmq.run,
  checks.memcached.run,
  checks.tls.run,
  checks.smtp.run,
  checks.elasticsearch.run,
  checks.opensearch.run,
  checks.etcd.run,
  checks.ldap.run,
];

const aborted = (): AbortSignal =>
  AbortSignal.abort(new DOMException('timed out after 5 ms', 'TimeoutError'));

describe('every family’s .run has one shape', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_, res) => res.end('ok'));
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a signal is optional: http and pg run without one', async () => {
    const http = await checks.http.run({ url });
    const pg = await checks.pg.run(new FakePgPool());
    expect(http.passed).toBe(true);
    expect(pg.passed).toBe(true);
    expect(typeof http.output).toBe('string');
    expect(typeof pg.output).toBe('string');
  });

  it('the signal given as the second argument is the one used, by client-less and client checks alike', async () => {
    const http = await checks.http.run({ url }, { signal: aborted() });
    const tcp = await checks.tcp.run(
      { host: '127.0.0.1', port: (server.address() as AddressInfo).port },
      { signal: aborted() },
    );
    const pg = await checks.pg.run(new FakePgPool(), { signal: aborted() });
    for (const outcome of [http, tcp, pg]) {
      expect(outcome.passed).toBe(false);
      expect(outcome.output).toMatch(/: timed out after 5 ms$/);
    }
  });

  it('the client-less tls and smtp checks take the signal as the second argument too', async () => {
    const { port } = server.address() as AddressInfo;
    const tls = await checks.tls.run(
      { host: '127.0.0.1', port },
      { signal: aborted() },
    );
    const smtp = await checks.smtp.run(
      { host: '127.0.0.1', port },
      { signal: aborted() },
    );
    for (const outcome of [tls, smtp]) {
      expect(outcome.passed).toBe(false);
      expect(outcome.output).toContain('timed out after 5 ms');
    }
  });

  it('resolves with a failed outcome, never a throw or a rejection, for options it cannot use', async () => {
    const unusable: Array<[string, () => Promise<ReadyCheckOutcome>]> = [
      [
        'tls',
        () => checks.tls.run({ host: '127.0.0.1', port: 1, ca: 12 as never }),
      ],
      ['tls', () => checks.tls.run(undefined as never)],
      ['smtp', () => checks.smtp.run({ host: '127.0.0.1', port: NaN })],
      [
        'smtp',
        () =>
          checks.smtp.run({
            host: '127.0.0.1',
            port: 1,
            starttls: true,
            ca: 12 as never,
          }),
      ],
      ['tcp', () => checks.tcp.run({ host: '127.0.0.1', port: NaN })],
      ['tcp', () => checks.tcp.run({ host: 12 as never, port: 1 })],
      ['tcp', () => checks.tcp.run(undefined as never)],
      ['http', () => checks.http.run(undefined as never)],
      ['dns', () => checks.dns.run(undefined as never)],
      // Without these, node would look up "undefined" (no records: passed) and connect to localhost.
      ['dns', () => checks.dns.run({} as never)],
      [
        'tcp',
        () =>
          checks.tcp.run({
            port: (server.address() as AddressInfo).port,
          } as never),
      ],
      ['disk', () => checks.disk.run(undefined as never)],
      ['heap', () => checks.heap.run(undefined as never)],
      [
        'heap',
        () =>
          checks.heap.run({
            maxUsedRatio: 0.9,
            readHeap: () => {
              throw new Error('no heap statistics');
            },
          }),
      ],
      ['rss', () => checks.rss.run(undefined as never)],
      ['eventLoop', () => checks.eventLoop.run(undefined as never)],
      ['grpc', () => checks.grpc.run(undefined as never)],
      ['grpc', () => checks.grpc.run({ url: 12 as never })],
    ];
    for (const [kind, run] of unusable) {
      const outcome = await run();
      expect(outcome.passed).toBe(false);
      expect(outcome.output).toMatch(
        new RegExp(
          `^checks\\.${kind}\\.run\\(\\) could not run the check: \\S`,
        ),
      );
    }
  });

  it('a signal among the options is still read (the earlier shape)', async () => {
    const outcome = await checks.http.run({ url, signal: aborted() });
    expect(outcome.passed).toBe(false);
    expect(outcome.output).toMatch(/timed out after 5 ms$/);
  });
});
