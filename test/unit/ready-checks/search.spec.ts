import { Client as ElasticClient } from '@elastic/elasticsearch';
import { Client as OpenSearchClient } from '@opensearch-project/opensearch';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  readyCheckMissingOption,
  roundTripFailed,
} from '../../../lib/healthcheck.messages.js';
import {
  describeShards,
  readClusterHealth,
} from '../../../lib/ready-checks/search/cluster-health.js';
import {
  isSearchClient,
  searchChecks,
} from '../../../lib/ready-checks/search/index.js';
import type { SearchClientLike } from '../../../lib/ready-checks/search/search-client.js';
import { eventually } from '../../fixtures/ready-checks/open-sockets.js';
import { passThrough } from '../../support/ready-check.helpers.js';

type Mode = 'green' | 'yellow' | 'red' | '500' | '503' | 'hang';

/** `GET /_cluster/health` as Elasticsearch 9 answers it (OpenSearch: no unassigned_primary_shards, plus discovered_*). */
function healthBody(engine: Engine, status: 'green' | 'yellow' | 'red') {
  const unassigned = { green: 0, yellow: 5, red: 7 }[status];
  const primary = status === 'red' ? 2 : 0;
  return {
    cluster_name: 'docker-cluster',
    status,
    timed_out: false,
    number_of_nodes: status === 'green' ? 3 : 1,
    number_of_data_nodes: status === 'green' ? 3 : 1,
    ...(engine === 'opensearch'
      ? { discovered_master: true, discovered_cluster_manager: true }
      : {}),
    active_primary_shards: 5 - primary,
    active_shards: 10 - unassigned,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: unassigned,
    ...(engine === 'elasticsearch'
      ? { unassigned_primary_shards: primary }
      : {}),
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: ((10 - unassigned) / 10) * 100,
  };
}

type Engine = 'elasticsearch' | 'opensearch';

interface StandIn {
  mode: Mode;
  port: number;
  /** Requests to /_cluster/health received. */
  requests: number;
  /** Requests held by `hang` whose connection is still open. */
  held: Set<ServerResponse>;
  server: Server;
  listen(): Promise<void>;
  close(): Promise<void>;
}

/** A node:http server answering the cluster-health API the way the engine does. */
async function startStandIn(engine: Engine): Promise<StandIn> {
  const standIn: StandIn = {
    mode: 'green',
    port: 0,
    requests: 0,
    held: new Set(),
    server: createServer((req: IncomingMessage, res: ServerResponse) => {
      if (engine === 'elasticsearch') {
        // The Elasticsearch client refuses an answer without it (ProductNotSupportedError).
        res.setHeader('x-elastic-product', 'Elasticsearch');
      }
      const accept = String(req.headers.accept ?? '');
      res.setHeader(
        'content-type',
        accept.includes('vnd.elasticsearch')
          ? 'application/vnd.elasticsearch+json;compatible-with=9'
          : 'application/json; charset=UTF-8',
      );
      if (
        req.method !== 'GET' ||
        req.url?.split('?')[0] !== '/_cluster/health'
      ) {
        res.statusCode = 404;
        return res.end('{}');
      }
      standIn.requests += 1;
      const mode = standIn.mode;
      if (mode === 'hang') {
        standIn.held.add(res);
        res.on('close', () => standIn.held.delete(res));
        return;
      }
      if (mode === '500') {
        res.statusCode = 500;
        return res.end(
          JSON.stringify({
            error: {
              root_cause: [
                {
                  type: 'illegal_state_exception',
                  reason: 'node is shutting down',
                },
              ],
              type: 'illegal_state_exception',
              reason: 'node is shutting down',
            },
            status: 500,
          }),
        );
      }
      if (mode === '503') {
        res.statusCode = 503;
        return res.end(
          JSON.stringify({
            error: {
              root_cause: [
                { type: 'master_not_discovered_exception', reason: null },
              ],
              type: 'master_not_discovered_exception',
              reason: null,
            },
            status: 503,
          }),
        );
      }
      res.end(JSON.stringify(healthBody(engine, mode)));
    }),
    listen: () =>
      new Promise<void>((resolve, reject) => {
        standIn.server.once('error', reject);
        standIn.server.listen(standIn.port, '127.0.0.1', () => {
          standIn.port = (standIn.server.address() as AddressInfo).port;
          resolve();
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        standIn.server.closeAllConnections();
        standIn.server.close(() => resolve());
      }),
  };
  await standIn.listen();
  return standIn;
}

/** Aborted after `ms` the way the runner aborts a check at its timeout. */
function timeoutSignal(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(
    () =>
      controller.abort(
        new DOMException(`timed out after ${ms} ms`, 'TimeoutError'),
      ),
    ms,
  );
  return controller.signal;
}

const engines: Array<
  [Engine, (node: string) => SearchClientLike & { close(): Promise<unknown> }]
> = [
  ['elasticsearch', (node) => new ElasticClient({ node })],
  ['opensearch', (node) => new OpenSearchClient({ node })],
];

describe.each(engines)(
  'checks.%s with the real client against a stand-in cluster-health API',
  (engine, makeClient) => {
    let standIn: StandIn;
    let client: SearchClientLike & { close(): Promise<unknown> };
    let check: (context: { signal: AbortSignal }) => unknown;
    const run = async (signal = new AbortController().signal) =>
      (await check({ signal })) as {
        passed: boolean;
        output: string;
        observedValue?: number;
        observedUnit?: string;
        degraded?: true;
      };

    beforeAll(async () => {
      standIn = await startStandIn(engine);
      client = makeClient(`http://127.0.0.1:${standIn.port}`);
      check = searchChecks[engine]('search', { client }).build(passThrough);
    });

    afterAll(async () => {
      await client?.close();
      await standIn?.close();
    });

    beforeEach(() => {
      standIn.mode = 'green';
    });

    it('passes on green, not degraded, with nodes and unassigned shards', async () => {
      const outcome = await run();
      expect('degraded' in outcome).toBe(false);
      expect(outcome).toEqual({
        passed: true,
        output: expect.stringMatching(
          /^cluster "docker-cluster" is green: 3 nodes, 0 unassigned shards \(answered in \d+\.\d ms\)$/,
        ),
        observedValue: expect.any(Number),
        observedUnit: 'ms',
      });
    });

    it('passes degraded on yellow, saying so and why', async () => {
      standIn.mode = 'yellow';
      const outcome = await run();
      expect(outcome.passed).toBe(true);
      expect(outcome.degraded).toBe(true);
      expect(outcome.output).toMatch(
        /^cluster "docker-cluster" is yellow: every primary shard is assigned but some replicas are not, so it serves searches and writes with less redundancy \(1 node, 5 unassigned shards\) \(answered in \d+\.\d ms\)$/,
      );
    });

    it('fails on red, naming the cluster, the server and the unassigned shards', async () => {
      standIn.mode = 'red';
      const primary = engine === 'elasticsearch' ? ' (2 primary)' : '';
      expect(await run()).toEqual({
        passed: false,
        output:
          `cluster "docker-cluster" of ${engine} at 127.0.0.1:${standIn.port} is red: some primary shards are not ` +
          `assigned, so part of the data cannot be searched or written (1 node, 7 unassigned shards${primary})`,
      });
    });

    it('fails on a 500 with the status and the server’s reason, sending one request (no retry)', async () => {
      standIn.mode = '500';
      const before = standIn.requests;
      expect(await run()).toEqual({
        passed: false,
        output: roundTripFailed(
          'GET /_cluster/health',
          `${engine} at 127.0.0.1:${standIn.port}`,
          'status 500: node is shutting down',
        ),
      });
      expect(standIn.requests - before).toBe(1);
    });

    it('fails on a 503 without a reason with the error type, and is not retried', async () => {
      standIn.mode = '503';
      const before = standIn.requests;
      const outcome = await run();
      expect(outcome).toEqual({
        passed: false,
        output: roundTripFailed(
          'GET /_cluster/health',
          `${engine} at 127.0.0.1:${standIn.port}`,
          'status 503: master_not_discovered_exception',
        ),
      });
      expect(standIn.requests - before).toBe(1);
    });

    it('fails at the time-out on a server that never answers, cancels the request, and the client works for the next run', async () => {
      standIn.mode = 'hang';
      for (let i = 0; i < 3; i += 1) {
        const started = performance.now();
        const outcome = await run(timeoutSignal(150));
        expect(outcome).toEqual({
          passed: false,
          output: roundTripFailed(
            'GET /_cluster/health',
            `${engine} at 127.0.0.1:${standIn.port}`,
            'timed out after 150 ms',
          ),
        });
        expect(performance.now() - started).toBeLessThan(5_000);
      }
      // The abandoned requests were cancelled: the server sees their connections close.
      expect(await eventually(() => standIn.held.size === 0)).toBe(true);
      standIn.mode = 'green';
      expect((await run()).passed).toBe(true);
    });

    it('fails while the server is down and passes again with the same client when it is back', async () => {
      await standIn.close();
      // The first run may go out on a kept-alive connection the server just closed: it fails either way.
      expect((await run(timeoutSignal(5_000))).passed).toBe(false);
      const down = await run(timeoutSignal(5_000));
      expect(down.passed).toBe(false);
      expect(down.output).toMatch(
        new RegExp(
          `^GET /_cluster/health against ${engine} at 127\\.0\\.0\\.1:${standIn.port} failed: .*ECONNREFUSED`,
        ),
      );
      await standIn.listen();
      let back = await run();
      // A client may rest a node it saw fail for a moment before it tries it again.
      for (let i = 0; i < 50 && !back.passed; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        back = await run();
      }
      expect(back.passed).toBe(true);
    });
  },
);

describe('cluster health answers', () => {
  it('reads a body or an { body, statusCode } response', () => {
    const body = healthBody('opensearch', 'yellow');
    expect(readClusterHealth(body)).toMatchObject({
      status: 'yellow',
      nodes: 1,
      unassignedShards: 5,
    });
    expect(readClusterHealth({ body, statusCode: 200 }).status).toBe('yellow');
  });

  it('refuses an answer without a known status', () => {
    expect(() => readClusterHealth({ status: 'purple' })).toThrow(
      'the cluster health answer has no status green, yellow or red (got "purple")',
    );
    expect(() => readClusterHealth('ok')).toThrow('(got none)');
  });

  it('describes nodes and shards, primaries only when some are unassigned', () => {
    expect(
      describeShards({
        status: 'red',
        nodes: 1,
        unassignedShards: 1,
        unassignedPrimaryShards: 1,
        initializingShards: 2,
      }),
    ).toBe('1 node, 1 unassigned shard (1 primary), 2 initializing');
    expect(describeShards({ status: 'green' })).toBe('');
  });
});

describe('checks.elasticsearch and checks.opensearch options', () => {
  it('tell a client by its cluster.health method', () => {
    expect(isSearchClient({ cluster: { health: () => undefined } })).toBe(true);
    expect(isSearchClient({ cluster: {} })).toBe(false);
    expect(isSearchClient(null)).toBe(false);
  });

  it('need a client', () => {
    expect(() =>
      searchChecks
        .opensearch('search', { client: undefined })
        .build(passThrough),
    ).toThrow(
      readyCheckMissingOption(
        'opensearch',
        'client',
        'an @opensearch-project/opensearch Client',
      ),
    );
  });

  it('refuse an unknown option', () => {
    expect(() =>
      searchChecks.elasticsearch('search', {
        client: 'ES',
        node: 'x',
      } as never),
    ).toThrow(/has no option "node"; it takes "client"/);
  });
});
