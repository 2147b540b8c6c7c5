import {
  etcdMemberErrors,
  etcdNoLeader,
  etcdStatusDetails,
} from '../../healthcheck.messages.js';
import { clientOption } from '../shared/client-option.js';
import { detachedProbe } from '../shared/earlier-probe.js';
import { formatBytes } from '../shared/quantity.format.js';
import { readyCheck } from '../shared/ready-check.js';
import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import {
  describeEtcdError,
  ETCD_CLIENT_EXPECTED,
  etcdTarget,
  isEtcd3Client,
  type Etcd3Like,
  type EtcdCallInterceptor,
  type EtcdStatusLike,
} from './etcd-client.js';

const STATUS = 'status';

/**
 * The gRPC status a timed-out call is cancelled with. etcd3 retries, resets the channel and counts towards its
 * circuit breaker on CANCELLED and DEADLINE_EXCEEDED; FAILED_PRECONDITION is none of its recoverable errors,
 * so an abandoned probe costs the user's client nothing.
 */
const FAILED_PRECONDITION = 9;

/** Options of `checks.etcd`. */
export interface EtcdCheckOptions {
  /** An etcd3 `Etcd3` client, or its DI token. */
  client: unknown;
}

/**
 * Asks the member the client talks to for its status (Maintenance.Status: a read, nothing written) and expects
 * it to know a leader and report no error (an alarm such as NOSPACE). The output names the version, the
 * leader and the database size. On a time-out the gRPC call is cancelled on the user's channel, which stays
 * open. The client's `defaultCallOptions` still apply; their `interceptors` give way to the check's for this
 * call.
 */
export function checkEtcd(
  client: Etcd3Like,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  let details = '';
  return timedRoundTrip(
    STATUS,
    () => etcdTarget(client),
    signal,
    async () => {
      const status = await detachedProbe(client, STATUS, signal, () =>
        (signal
          ? cancellableStatus(client, signal)
          : client.maintenance.status()
        ).catch((error: unknown) => {
          throw new Error(describeEtcdError(error), { cause: error });
        }),
      );
      details = readStatus(status);
    },
  ).then((outcome) =>
    outcome.passed
      ? { ...outcome, output: `${outcome.output}: ${details}` }
      : outcome,
  );
}

/** The status in a few words; throws when the member knows no leader or reports errors. */
function readStatus(status: EtcdStatusLike): string {
  const errors = Array.isArray(status?.errors)
    ? status.errors.map(String).filter((error) => error !== '')
    : [];
  if (errors.length > 0) throw new Error(etcdMemberErrors(errors.join('; ')));
  const leader = String(status?.leader ?? '0');
  if (leader === '0' || leader === '') throw new Error(etcdNoLeader);
  const size = Number(status?.dbSize);
  return etcdStatusDetails(
    String(status?.version ?? 'unknown'),
    memberId(leader),
    Number.isFinite(size) ? formatBytes(size) : 'of unknown size',
  );
}

/** A member ID as etcdctl shows it: hexadecimal. */
function memberId(decimal: string): string {
  try {
    return BigInt(decimal).toString(16);
  } catch {
    return decimal;
  }
}

/**
 * Maintenance.Status with an interceptor that cancels the gRPC call (and any retry etcd3 starts) when `signal`
 * aborts; the listener goes when the call settles.
 */
async function cancellableStatus(
  client: Etcd3Like,
  signal: AbortSignal,
): Promise<EtcdStatusLike> {
  const calls: Array<{
    cancelWithStatus(code: number, details: string): void;
  }> = [];
  const cancel = (call: (typeof calls)[number]): void =>
    call.cancelWithStatus(
      FAILED_PRECONDITION,
      'the health check abandoned the call',
    );
  const cancelAll = (): void => calls.forEach(cancel);
  const interceptor: EtcdCallInterceptor = (options, nextCall) => {
    const call = nextCall(options);
    if (signal.aborted) cancel(call);
    else calls.push(call);
    return call;
  };
  signal.addEventListener('abort', cancelAll, { once: true });
  try {
    return await client.maintenance.status({ interceptors: [interceptor] });
  } finally {
    signal.removeEventListener('abort', cancelAll);
  }
}

/** `checks.etcd(name, { client })`: Maintenance.Status through an etcd3 client. */
export const etcd = Object.assign(
  readyCheck<EtcdCheckOptions>('etcd', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption('etcd', own, 'client', ETCD_CLIENT_EXPECTED),
      isEtcd3Client,
      ETCD_CLIENT_EXPECTED,
    );
    return ({ signal }) => checkEtcd(client, { signal });
  }),
  { run: checkEtcd },
);
