import type { ProbeName } from '../probes/probe.service.js';

/** A route of the health server, as its path names it. */
export type HealthRoute =
  | { kind: 'report' }
  | { kind: 'probe'; probe: ProbeName }
  | { kind: 'group'; tag: string }
  | { kind: 'environment' }
  | { kind: 'history' }
  | { kind: 'ui' }
  | { kind: 'events' }
  | { kind: 'drain' };

export interface HealthRoutePaths {
  /** The health path, without surrounding slashes ('' for the root). */
  path: string;
  /** The environment path, or null when the environment route is off. */
  environmentPath: string | null;
  /** Whether the dashboard and its event stream exist. */
  ui: boolean;
  /** Whether the drain route exists (option `server.drainRoute`). */
  drain?: boolean;
}

/**
 * Matches a request path (without its query) to a health route: exact paths from one map, and the group
 * prefix; no router. A trailing slash is accepted, as the platforms' routers accept it.
 */
export function createHealthRouteMatcher({
  path,
  environmentPath,
  ui,
  drain,
}: HealthRoutePaths): (pathname: string) => HealthRoute | undefined {
  const base = path === '' ? '' : `/${path}`;
  const exact = new Map<string, HealthRoute>([
    [base === '' ? '/' : base, { kind: 'report' }],
    [`${base}/live`, { kind: 'probe', probe: 'liveness' }],
    [`${base}/ready`, { kind: 'probe', probe: 'readiness' }],
    [`${base}/startup`, { kind: 'probe', probe: 'startup' }],
    [`${base}/history`, { kind: 'history' }],
  ]);
  if (ui) {
    exact.set(`${base}/ui`, { kind: 'ui' });
    exact.set(`${base}/events`, { kind: 'events' });
  }
  if (drain) exact.set(`${base}/drain`, { kind: 'drain' });
  if (environmentPath !== null) {
    exact.set(`/${environmentPath}`, { kind: 'environment' });
  }
  const groupPrefix = `${base}/group/`;
  return (pathname) => {
    const route = exact.get(pathname);
    if (route) return route;
    if (pathname.length > 1 && pathname.endsWith('/')) {
      const trimmed = exact.get(pathname.slice(0, -1));
      if (trimmed) return trimmed;
    }
    if (!pathname.startsWith(groupPrefix)) return undefined;
    const encoded = pathname.slice(groupPrefix.length).replace(/\/$/, '');
    if (encoded === '' || encoded.includes('/')) return undefined;
    try {
      return { kind: 'group', tag: decodeURIComponent(encoded) };
    } catch {
      return undefined;
    }
  };
}
