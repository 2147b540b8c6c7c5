/** Where a client points, as far as its options tell; passwords and query strings are never read. */
export interface ClientEndpoint {
  host?: unknown;
  port?: unknown;
  database?: unknown;
  /** A connection URL; only its host, port and path are used. */
  url?: unknown;
  socketPath?: unknown;
}

/** `postgres at 127.0.0.1:5432/app`, `sqlite at ./data.db`, or the bare kind when nothing is known. */
export function describeTarget(
  kind: string,
  endpoint: ClientEndpoint = {},
): string {
  const fromUrl = parseUrl(endpoint.url);
  const host = text(endpoint.host) ?? fromUrl?.host;
  const port = text(endpoint.port) ?? fromUrl?.port;
  const database = text(endpoint.database) ?? fromUrl?.database;
  const socket = text(endpoint.socketPath);
  const server = socket ?? (host && (port ? `${host}:${port}` : host));
  const location = server
    ? database
      ? `${server}/${database}`
      : server
    : database;
  return location ? `${kind} at ${location}` : kind;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseUrl(
  value: unknown,
): { host?: string; port?: string; database?: string } | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return {
      host: url.hostname || undefined,
      port: url.port || undefined,
      database:
        decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
    };
  } catch {
    return undefined;
  }
}
