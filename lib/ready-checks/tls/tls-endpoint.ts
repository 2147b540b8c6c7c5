/** The port of a TLS service when its URL gives none. */
const DEFAULT_TLS_PORTS: Readonly<Record<string, number>> = {
  'https:': 443,
  'wss:': 443,
  'smtps:': 465,
  'ldaps:': 636,
  'imaps:': 993,
  'pop3s:': 995,
};

/** Where `checks.tls` connects: `host` and `port`, or the host and port of `url`. */
export function tlsEndpoint(options: {
  host?: string;
  port?: number;
  url?: string | URL;
}): { host: string; port: number } {
  if (options.url === undefined) {
    return { host: options.host ?? '', port: options.port ?? 0 };
  }
  const url = new URL(options.url);
  // An IPv6 address keeps its brackets in `hostname`.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : DEFAULT_TLS_PORTS[url.protocol];
  if (host === '' || port === undefined) {
    throw new Error(`no host and port in ${url.protocol}//${url.host}`);
  }
  return { host, port };
}

/** Whether `value` is a URL `tlsEndpoint` can read a host and port from. */
export function isTlsUrl(value: unknown): boolean {
  if (!(typeof value === 'string' || value instanceof URL)) return false;
  try {
    tlsEndpoint({ url: value });
    return true;
  } catch {
    return false;
  }
}
