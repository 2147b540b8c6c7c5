import { describeTarget } from '../shared/describe-target.js';

/** The parts of an `@elastic/elasticsearch` or `@opensearch-project/opensearch` Client the search checks use. */
export interface SearchClientLike {
  cluster: {
    health(params?: object, options?: object): Promise<unknown>;
  };
  readonly connectionPool?: object;
}

/** Whether `value` looks like an Elasticsearch or OpenSearch client. */
export function isSearchClient(value: unknown): value is SearchClientLike {
  const cluster = (value as { cluster?: unknown } | null)?.cluster;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof cluster === 'object' &&
    cluster !== null &&
    typeof (cluster as { health?: unknown }).health === 'function'
  );
}

/** `elasticsearch at es1:9200, es2:9200`, from the nodes of the client's pool (never their credentials). */
export function searchTarget(kind: string, client: SearchClientLike): string {
  const connections = (client.connectionPool as { connections?: unknown })
    ?.connections;
  const list = Array.isArray(connections)
    ? connections
    : connections instanceof Map
      ? [...connections.values()]
      : [];
  const hosts = list
    .map((connection) => (connection as { url?: unknown } | null)?.url)
    .filter((url): url is URL => url instanceof URL)
    .map((url) => url.host);
  return describeTarget(kind, {
    host: hosts.length > 0 ? [...new Set(hosts)].join(', ') : undefined,
  });
}
