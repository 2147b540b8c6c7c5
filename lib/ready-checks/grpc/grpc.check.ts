import {
  grpcCheckFailed,
  grpcNotServing,
  grpcServing,
} from '../../healthcheck.messages.js';
import { abortable } from '../shared/abortable.js';
import { describeNetworkError } from '../shared/network-error.describer.js';
import { isNonEmptyString } from '../shared/own-options.validator.js';
import { elapsedMs, roundMs } from '../shared/quantity.format.js';
import {
  runnableReadyCheck,
  type ReadyCheckOutcome,
  neverRejecting,
} from '../shared/runnable-ready-check.js';
import {
  withRunOptions,
  type ReadyCheckRunOptions,
} from '../shared/ready-check.outcome.js';
import {
  loadGrpcJs,
  type GrpcCall,
  type GrpcJs,
  type GrpcServiceError,
} from './grpc-js.loader.js';
import {
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
} from './health-message.codec.js';
import {
  ChannelSockets,
  socketTrackingCredentials,
} from './socket-tracking.credentials.js';

const HEALTH_CHECK_METHOD = '/grpc.health.v1.Health/Check';

/** Options of `checks.grpc`. */
export interface GrpcCheckOptions {
  /** The server's gRPC target, e.g. `127.0.0.1:50051` or `dns:///orders.internal:443`. */
  url: string;
  /** The service whose status is asked; `''` (the default) asks for the server as a whole. */
  service?: string;
  /** Connects with TLS (the system's root certificates) instead of plaintext. Default false. */
  tls?: boolean;
}

/** What `checks.grpc.run()` takes. */
export interface GrpcRunOptions extends GrpcCheckOptions {
  /** Cancels the call and closes the channel. */
  signal?: AbortSignal;
}

/**
 * The check's logic. It may reject on options it cannot use: `checkGrpc` turns that into a failed outcome, as
 * `.run` promises.
 */
async function checkGrpcUnguarded(
  options: GrpcRunOptions,
  extra?: ReadyCheckRunOptions,
): Promise<ReadyCheckOutcome> {
  const { url, signal, service = '' } = withRunOptions(options, extra);
  let grpc: GrpcJs;
  try {
    grpc = await abortable(loadGrpcJs(), signal);
  } catch (error) {
    return {
      passed: false,
      output: grpcCheckFailed(
        service,
        url,
        describeNetworkError(error, signal),
      ),
    };
  }
  const started = performance.now();
  const sockets = new ChannelSockets();
  const credentials = options.tls
    ? grpc.credentials.createSsl()
    : grpc.credentials.createInsecure();
  const client = new grpc.Client(
    url,
    socketTrackingCredentials(credentials, sockets),
    { 'grpc.use_local_subchannel_pool': 1 },
  );
  let call: GrpcCall | undefined;
  let status: string;
  try {
    const answer = new Promise<string>((resolve, reject) => {
      call = client.makeUnaryRequest<string, string>(
        HEALTH_CHECK_METHOD,
        encodeHealthCheckRequest,
        decodeHealthCheckResponse,
        service,
        new grpc.Metadata(),
        {},
        (error, value) => (error ? reject(error) : resolve(value ?? 'UNKNOWN')),
      );
    });
    status = await abortable(answer, signal, () => call?.cancel());
  } catch (error) {
    const reason = signal?.aborted
      ? describeNetworkError(error, signal)
      : describeGrpcError(grpc, error);
    return { passed: false, output: grpcCheckFailed(service, url, reason) };
  } finally {
    client.close();
    sockets.destroyAll();
  }
  const ms = elapsedMs(started);
  if (status !== 'SERVING') {
    return { passed: false, output: grpcNotServing(service, url, status) };
  }
  return {
    passed: true,
    output: grpcServing(service, url, ms),
    observedValue: roundMs(ms),
    observedUnit: 'ms',
  };
}

/**
 * Calls grpc.health.v1.Health/Check on another server through a channel of its own (no shared subchannel),
 * closed when the call ends or the signal aborts. SERVING passes; any other status, or an error, fails. The
 * observed value is the call's latency in ms. Needs the optional package @grpc/grpc-js.
 */
export const checkGrpc = neverRejecting('grpc', checkGrpcUnguarded);

/** `NOT_FOUND: Health status unknown for service x`, without grpc-js's empty trailing note. */
function describeGrpcError(grpc: GrpcJs, error: unknown): string {
  const { code, details } = error as GrpcServiceError;
  const name = typeof code === 'number' ? grpc.status[code] : undefined;
  if (typeof name !== 'string' || typeof details !== 'string') {
    return describeNetworkError(error);
  }
  const text = details
    .replace('Last error: Error: ', 'Last error: ')
    .replace(/\s*Resolution note:\s*$/, '');
  return text ? `${name}: ${text}` : name;
}

/** `checks.grpc(name, { url, service?, tls? })`: asks another server's grpc.health.v1.Health for its status. */
export const grpc = runnableReadyCheck<GrpcCheckOptions, GrpcRunOptions>({
  kind: 'grpc',
  known: ['url', 'service', 'tls'],
  validate(options) {
    options.check(
      'url',
      "a gRPC target, e.g. '127.0.0.1:50051' or 'dns:///orders.internal:443'",
      isNonEmptyString,
      true,
    );
    options.check(
      'service',
      "a service name, or '' for the server as a whole",
      (value) => typeof value === 'string',
    );
    options.check(
      'tls',
      'true or false',
      (value) => typeof value === 'boolean',
    );
  },
  run: checkGrpc,
});
