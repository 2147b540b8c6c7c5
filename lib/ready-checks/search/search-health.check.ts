import {
  roundTripFailed,
  searchClusterGreen,
  searchClusterRed,
  searchClusterYellow,
} from '../../healthcheck.messages.js';
import { abortable } from '../shared/abortable.js';
import { clientOption } from '../shared/client-option.js';
import { describeClientError } from '../shared/describe-client-error.js';
import { elapsedMs, roundMs } from '../shared/quantity.format.js';
import { readyCheck } from '../shared/ready-check.js';
import type {
  ReadyCheckOutcome,
  ReadyCheckRunOptions,
} from '../shared/ready-check.outcome.js';
import {
  describeShards,
  readClusterHealth,
  type ClusterHealth,
} from './cluster-health.js';
import {
  isSearchClient,
  searchTarget,
  type SearchClientLike,
} from './search-client.js';

const CLUSTER_HEALTH = 'GET /_cluster/health';

/** Which search engine a check talks to: it names the target and picks how a request is cancelled. */
export type SearchEngine = 'elasticsearch' | 'opensearch';

/**
 * Asks the cluster for its health through the user's client, once (no retry), and judges the status: green
 * passes; yellow passes degraded (the report is marked degraded), saying which replicas are unassigned
 * (searches and writes still work); red fails. The
 * request is cancelled when the signal aborts: the Elasticsearch client takes the signal, the OpenSearch
 * client's request is aborted. The observed value is the time taken in ms.
 */
export async function checkSearchHealth(
  engine: SearchEngine,
  client: SearchClientLike,
  { signal }: ReadyCheckRunOptions = {},
): Promise<ReadyCheckOutcome> {
  const started = performance.now();
  let health: ClusterHealth;
  try {
    signal?.throwIfAborted();
    const request = client.cluster.health(
      {},
      engine === 'elasticsearch' && signal
        ? { signal, maxRetries: 0 }
        : { maxRetries: 0 },
    ) as Promise<unknown> & { abort?: () => void };
    const response = await abortable(request, signal, () => request.abort?.());
    health = readClusterHealth(response);
  } catch (error) {
    return {
      passed: false,
      output: roundTripFailed(
        CLUSTER_HEALTH,
        searchTarget(engine, client),
        // The clients word an abort their own way; the signal's reason says more.
        describeSearchError(signal?.aborted ? signal.reason : error),
      ),
    };
  }
  const ms = elapsedMs(started);
  const shards = describeShards(health);
  if (health.status === 'red') {
    return {
      passed: false,
      output: searchClusterRed(
        health.clusterName,
        searchTarget(engine, client),
        shards,
      ),
    };
  }
  const green = health.status === 'green';
  return {
    passed: true,
    ...(!green && { degraded: true as const }),
    output: green
      ? searchClusterGreen(health.clusterName, shards, ms)
      : searchClusterYellow(health.clusterName, shards, ms),
    observedValue: roundMs(ms),
    observedUnit: 'ms',
  };
}

/**
 * A client error in one line: `status 500: <the server's reason>` for an error answer (both clients put the
 * status in `meta.statusCode` and the answer in `body`), else the error itself.
 */
function describeSearchError(error: unknown): string {
  const meta = (error as { meta?: { statusCode?: unknown; body?: unknown } })
    ?.meta;
  const status = meta?.statusCode;
  if (typeof status === 'number' && status >= 300) {
    const body = (error as { body?: unknown }).body ?? meta?.body;
    const reason = serverReason(body);
    return reason ? `status ${status}: ${reason}` : `status ${status}`;
  }
  return describeClientError(error);
}

function serverReason(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 200) || undefined;
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error === 'string') return error;
  const reason = (error as { reason?: unknown; type?: unknown } | null)?.reason;
  if (typeof reason === 'string') return reason;
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
}

/** Options of `checks.elasticsearch` and `checks.opensearch`. */
export interface SearchCheckOptions {
  /** An `@elastic/elasticsearch` or `@opensearch-project/opensearch` Client, or its DI token. */
  client: unknown;
}

const EXPECTED: Record<SearchEngine, string> = {
  elasticsearch: 'an @elastic/elasticsearch Client',
  opensearch: 'an @opensearch-project/opensearch Client',
};

/** The builder of `checks.elasticsearch` or `checks.opensearch`, with its `.run(client, { signal }?)`. */
export function searchHealthCheck(engine: SearchEngine) {
  const run = (
    client: SearchClientLike,
    extra?: ReadyCheckRunOptions,
  ): Promise<ReadyCheckOutcome> => checkSearchHealth(engine, client, extra);
  return Object.assign(
    readyCheck<SearchCheckOptions>(engine, ['client'], (own, resolve) => {
      const client = resolve(
        'client',
        clientOption(engine, own, 'client', EXPECTED[engine]),
        isSearchClient,
        EXPECTED[engine],
      );
      return ({ signal }) => run(client, { signal });
    }),
    { run },
  );
}
