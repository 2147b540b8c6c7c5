/** The fields of `GET /_cluster/health` the search checks read (Elasticsearch and OpenSearch answer alike). */
export interface ClusterHealth {
  status: 'green' | 'yellow' | 'red';
  clusterName?: string;
  nodes?: number;
  dataNodes?: number;
  unassignedShards?: number;
  /** Elasticsearch 8.16 and later only. */
  unassignedPrimaryShards?: number;
  initializingShards?: number;
  relocatingShards?: number;
  activeShardsPercent?: number;
}

const STATUSES = ['green', 'yellow', 'red'] as const;

/**
 * Reads a cluster-health answer: the body itself, or an `{ body, statusCode }` response (OpenSearch, or the
 * Elasticsearch client with `meta: true`). Throws when it carries no known status.
 */
export function readClusterHealth(response: unknown): ClusterHealth {
  const record = asRecord(response);
  const body =
    record && 'body' in record && 'statusCode' in record
      ? asRecord(record.body)
      : record;
  const status = body?.status;
  if (!body || !(STATUSES as readonly unknown[]).includes(status)) {
    throw new Error(
      `the cluster health answer has no status green, yellow or red (got ${JSON.stringify(status) ?? 'none'})`,
    );
  }
  return {
    status: status as ClusterHealth['status'],
    clusterName:
      typeof body.cluster_name === 'string' ? body.cluster_name : undefined,
    nodes: count(body.number_of_nodes),
    dataNodes: count(body.number_of_data_nodes),
    unassignedShards: count(body.unassigned_shards),
    unassignedPrimaryShards: count(body.unassigned_primary_shards),
    initializingShards: count(body.initializing_shards),
    relocatingShards: count(body.relocating_shards),
    activeShardsPercent:
      typeof body.active_shards_percent_as_number === 'number'
        ? body.active_shards_percent_as_number
        : undefined,
  };
}

/** `3 nodes, 0 unassigned shards`; `1 node, 5 unassigned shards (2 primary)`. */
export function describeShards(health: ClusterHealth): string {
  const parts: string[] = [];
  if (health.nodes !== undefined) {
    parts.push(`${health.nodes} ${health.nodes === 1 ? 'node' : 'nodes'}`);
  }
  if (health.unassignedShards !== undefined) {
    const primary =
      health.unassignedPrimaryShards !== undefined &&
      health.unassignedPrimaryShards > 0
        ? ` (${health.unassignedPrimaryShards} primary)`
        : '';
    parts.push(
      `${health.unassignedShards} unassigned ${health.unassignedShards === 1 ? 'shard' : 'shards'}${primary}`,
    );
  }
  if (health.initializingShards) {
    parts.push(`${health.initializingShards} initializing`);
  }
  if (health.relocatingShards) {
    parts.push(`${health.relocatingShards} relocating`);
  }
  return parts.join(', ');
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0
    ? value
    : undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
