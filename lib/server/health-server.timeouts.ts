/** How long the health server lets a connection take, so that idle or slow clients cannot hold it. */
export interface HealthServerTimeouts {
  /** Milliseconds a client has to send a request's headers (from the connection or the previous answer). */
  headersTimeout: number;
  /** Milliseconds a client has to send a whole request. */
  requestTimeout: number;
  /** Milliseconds an idle keep-alive connection stays open after an answer. */
  keepAliveTimeout: number;
  /** Milliseconds between Node.js's checks of the two request timeouts. */
  connectionsCheckingInterval: number;
}

/**
 * Short limits for a server that only answers probes: Node.js's defaults (60 s for headers, 5 min for a
 * request) let a few slow clients hold it.
 */
export const DEFAULT_HEALTH_SERVER_TIMEOUTS: HealthServerTimeouts = {
  headersTimeout: 5_000,
  requestTimeout: 10_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
};

/** Injection token of the health server's timeouts; tests give shorter ones. */
export const HEALTH_SERVER_TIMEOUTS = Symbol('HEALTH_SERVER_TIMEOUTS');
