import { connect } from 'node:net';
import { tcpConnected, tcpFailed } from '../../healthcheck.messages.js';
import { abortable } from '../shared/abortable.js';
import { describeNetworkError } from '../shared/network-error.describer.js';
import { isNonEmptyString } from '../shared/own-options.validator.js';
import { elapsedMs, roundMs } from '../shared/quantity.format.js';
import {
  runnableReadyCheck,
  type ReadyCheckOutcome,
  neverRejecting,
  requireRunOption,
} from '../shared/runnable-ready-check.js';
import {
  withRunOptions,
  type ReadyCheckRunOptions,
} from '../shared/ready-check.outcome.js';

const HOST_EXPECTED = "a host name or IP address, e.g. '127.0.0.1'";

/** Options of `checks.tcp`. */
export interface TcpCheckOptions {
  /** A host name or IP address. */
  host: string;
  /** A TCP port, 1-65535. */
  port: number;
}

/** What `checks.tcp.run()` takes. */
export interface TcpRunOptions extends TcpCheckOptions {
  /** Aborts the connection attempt and destroys its socket. */
  signal?: AbortSignal;
}

/**
 * The check's logic. It may reject on options it cannot use: `checkTcp` turns that into a failed outcome, as
 * `.run` promises.
 */
async function checkTcpUnguarded(
  options: TcpRunOptions,
  extra?: ReadyCheckRunOptions,
): Promise<ReadyCheckOutcome> {
  const { host, port, signal } = withRunOptions(options, extra);
  // node would connect to localhost: a pass for a server nobody named.
  requireRunOption('tcp', 'host', HOST_EXPECTED, host);
  const started = performance.now();
  const socket = connect({ host, port });
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  try {
    await abortable(connected, signal, () => socket.destroy());
  } catch (error) {
    return {
      passed: false,
      output: tcpFailed(host, port, describeNetworkError(error, signal)),
    };
  } finally {
    socket.destroy();
  }
  const ms = elapsedMs(started);
  return {
    passed: true,
    output: tcpConnected(host, port, ms),
    observedValue: roundMs(ms),
    observedUnit: 'ms',
  };
}

/**
 * Opens a TCP connection to `host:port` and closes it as soon as it is established (or when it fails or the
 * signal aborts). The observed value is the connect time in ms.
 */
export const checkTcp = neverRejecting('tcp', checkTcpUnguarded);

const isPort = (value: unknown): boolean =>
  typeof value === 'number' &&
  Number.isInteger(value) &&
  value >= 1 &&
  value <= 65_535;

/** `checks.tcp(name, { host, port })`: passes when a TCP connection to `host:port` opens. */
export const tcp = runnableReadyCheck<TcpCheckOptions, TcpRunOptions>({
  kind: 'tcp',
  known: ['host', 'port'],
  validate(options) {
    options.check('host', HOST_EXPECTED, isNonEmptyString, true);
    options.check('port', 'an integer port between 1 and 65535', isPort, true);
  },
  run: checkTcp,
});
