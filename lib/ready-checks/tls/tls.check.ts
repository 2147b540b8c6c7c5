import { isIP } from 'node:net';
import {
  checkServerIdentity,
  connect,
  createSecureContext,
  rootCertificates,
  type DetailedPeerCertificate,
  type PeerCertificate,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';
import {
  tlsCertificateExpiry,
  tlsCertificateRejected,
  tlsCertificateValid,
  tlsChainDates,
  tlsChainExpired,
  tlsChainNotYetValid,
  tlsExpired,
  tlsExpiresSoon,
  tlsHandshakeFailed,
  tlsNoCertificate,
  tlsNotYetValid,
  tlsUntrusted,
  tlsWrongHost,
} from '../../healthcheck.messages.js';
import { abortable } from '../shared/abortable.js';
import { describeClientError } from '../shared/describe-client-error.js';
import {
  isHost,
  isNonEmptyString,
  isPort,
} from '../shared/own-options.validator.js';
import {
  neverRejecting,
  runnableReadyCheck,
  type ReadyCheckOutcome,
} from '../shared/runnable-ready-check.js';
import {
  withRunOptions,
  type ReadyCheckRunOptions,
} from '../shared/ready-check.outcome.js';
import {
  DEFAULT_MIN_VALID_DAYS,
  isoDate,
  judgeDates,
  parseCertificateDate,
} from './certificate-validity.js';
import {
  describeAuthorizationError,
  isDateVerifyError,
} from './authorization-error.describer.js';
import { tlsEndpoint, isTlsUrl } from './tls-endpoint.js';
import { describeHandshakeError } from './handshake-error.describer.js';

/** Certificates in PEM, as node's `ca` option takes them. */
export type TlsCertificates = string | Buffer | ReadonlyArray<string | Buffer>;

/** Options of `checks.tls`: `url`, or `host` and `port`. */
export interface TlsCheckOptions {
  /** The host to connect to; also the name the certificate must match unless `servername` is given. */
  host?: string;
  /** A TCP port, 1-65535. */
  port?: number;
  /** Instead of `host` and `port`: e.g. `https://api.example.com` (port 443 unless given). */
  url?: string | URL;
  /** The name sent in SNI and that the certificate must match. Default: the host. */
  servername?: string;
  /** Root certificates (PEM) trusted besides the system's default roots, e.g. a private CA. */
  ca?: TlsCertificates;
  /** Fails when the certificate expires in fewer days. Default 14; 0 fails only once it has expired. */
  minValidDays?: number;
}

/** What `checks.tls.run()` takes. */
export interface TlsRunOptions extends TlsCheckOptions {
  /** Aborts the handshake and destroys its socket. */
  signal?: AbortSignal;
}

interface Presented {
  certificate: PeerCertificate;
  /** The certificates the server sent above its own, nearest first (the issuer, then its issuer...). */
  chain: PeerCertificate[];
  /** OpenSSL's code for why the chain did not verify, if it did not. */
  authorizationError: unknown;
}

/**
 * Opens a TLS connection, reads the certificate the server presents and closes the connection at once (when the
 * handshake ends, fails or the signal aborts). The certificate is always read (the handshake does not reject
 * it), then judged: its dates, the host name, the chain to a trusted root (the default roots plus `ca`), and
 * the days left against `minValidDays`. The observed value is the days left (negative once expired).
 */
export function checkTls(
  options: TlsRunOptions,
  extra?: ReadyCheckRunOptions,
): Promise<ReadyCheckOutcome> {
  const given = withRunOptions(options, extra);
  return inspectCertificate(given, given.signal, secureContextFor(given.ca));
}

async function inspectCertificate(
  options: TlsCheckOptions,
  signal: AbortSignal | undefined,
  secureContext: SecureContext | undefined,
  now: () => number = Date.now,
): Promise<ReadyCheckOutcome> {
  let endpoint: { host: string; port: number };
  try {
    endpoint = tlsEndpoint(options);
  } catch (error) {
    return {
      passed: false,
      output: tlsHandshakeFailed(
        describeUrl(options.url),
        describeClientError(error),
      ),
    };
  }
  const { host, port } = endpoint;
  const hostname = options.servername ?? host;
  const target = hostPort(host, port);
  let presented: Presented;
  try {
    presented = await handshake(host, port, hostname, secureContext, signal);
  } catch (error) {
    return {
      passed: false,
      output: tlsHandshakeFailed(target, describeHandshakeError(error, signal)),
    };
  }
  const { certificate, authorizationError } = presented;
  const validFrom = parseCertificateDate(certificate.valid_from);
  const validTo = parseCertificateDate(certificate.valid_to);
  if (!validFrom || !validTo) {
    return { passed: false, output: tlsNoCertificate(target) };
  }
  const minValidDays = options.minValidDays ?? DEFAULT_MIN_VALID_DAYS;
  const dates = judgeDates(validFrom, validTo, now(), minValidDays);
  const problems: string[] = [];
  if (dates.state === 'not-yet-valid')
    problems.push(tlsNotYetValid(isoDate(validFrom)));
  if (dates.state === 'expired') problems.push(tlsExpired);
  const identity = checkServerIdentity(hostname, certificate);
  if (identity) problems.push(tlsWrongHost(hostname, identity.message));
  if (authorizationError && !isDateVerifyError(authorizationError)) {
    problems.push(tlsUntrusted(describeAuthorizationError(authorizationError)));
  } else if (
    authorizationError &&
    (dates.state === 'valid' || dates.state === 'expiring')
  ) {
    // The server's own dates are fine, so the dates that failed are those of a certificate above it.
    problems.push(
      tlsUntrusted(
        describeChainDates(presented.chain, now(), authorizationError),
      ),
    );
  }
  if (dates.state === 'expiring') problems.push(tlsExpiresSoon(minValidDays));
  const expiry = tlsCertificateExpiry(isoDate(validTo), dates.daysLeft);
  const who = describeCertificate(certificate);
  return {
    passed: problems.length === 0,
    output:
      problems.length === 0
        ? tlsCertificateValid(target, who, expiry)
        : tlsCertificateRejected(target, who, problems, expiry),
    observedValue: dates.daysLeft,
    observedUnit: 'days',
  };
}

/** Connects without rejecting the certificate, so that an invalid one is still read and described. */
function handshake(
  host: string,
  port: number,
  hostname: string,
  secureContext: SecureContext | undefined,
  signal: AbortSignal | undefined,
): Promise<Presented> {
  let socket: TLSSocket | undefined;
  const presented = new Promise<Presented>((resolve, reject) => {
    socket = connect({
      host,
      port,
      // SNI carries host names only: an IP address is not sent.
      servername: isIP(hostname) === 0 ? hostname : undefined,
      secureContext,
      rejectUnauthorized: false,
      // The name is checked below, with the certificate in hand.
      checkServerIdentity: () => undefined,
    });
    const tls = socket;
    tls.once('secureConnect', () =>
      resolve({
        certificate: tls.getPeerCertificate(),
        chain: issuersOf(tls.getPeerCertificate(true)),
        authorizationError: tls.authorized
          ? undefined
          : ((tls.authorizationError as unknown) ?? 'CERT_UNTRUSTED'),
      }),
    );
    tls.once('error', reject);
    tls.once('close', () =>
      reject(new Error('the connection closed during the handshake')),
    );
  });
  // Whatever happened, the connection is not needed any more.
  return abortable(presented, signal, () => socket?.destroy()).finally(() =>
    socket?.destroy(),
  );
}

/** The issuers above `leaf` as the server sent them, nearest first; a self-issued root ends the walk. */
function issuersOf(leaf: DetailedPeerCertificate): PeerCertificate[] {
  const chain: PeerCertificate[] = [];
  let current = leaf;
  for (let depth = 0; depth < 10; depth++) {
    const issuer = current.issuerCertificate as
      DetailedPeerCertificate | undefined;
    if (!issuer || issuer === current || issuer.raw?.equals(current.raw)) {
      break;
    }
    chain.push(issuer);
    current = issuer;
  }
  return chain;
}

/**
 * Why a chain whose server certificate is within its dates failed on dates: `CN=R11 in its chain expired on
 * 2020-02-01: CERT_HAS_EXPIRED`, naming the certificate when it was sent.
 */
function describeChainDates(
  chain: readonly PeerCertificate[],
  now: number,
  authorizationError: unknown,
): string {
  const code = describeAuthorizationError(authorizationError);
  for (const certificate of chain) {
    const from = parseCertificateDate(certificate.valid_from);
    const to = parseCertificateDate(certificate.valid_to);
    if (!from || !to) continue;
    const name = describeName(certificate.subject) ?? 'a certificate';
    if (now > to.getTime()) return tlsChainExpired(name, isoDate(to), code);
    if (now < from.getTime()) {
      return tlsChainNotYetValid(name, isoDate(from), code);
    }
  }
  return tlsChainDates(code);
}

/** `CN=api.example.com, issued by CN=R11, O=Let's Encrypt`. */
function describeCertificate(certificate: PeerCertificate): string {
  const subject = describeName(certificate.subject);
  const issuer = describeName(certificate.issuer);
  const self =
    subject !== undefined && subject === issuer ? 'self-issued' : undefined;
  const parts = [
    subject ?? 'no subject name',
    self ?? (issuer ? `issued by ${issuer}` : undefined),
  ];
  return parts.filter(Boolean).join(', ');
}

function describeName(name: unknown): string | undefined {
  if (typeof name !== 'object' || name === null) return undefined;
  const fields = name as Record<string, unknown>;
  const shown = ['CN', 'O']
    .filter((key) => typeof fields[key] === 'string')
    .map((key) => `${key}=${String(fields[key])}`);
  return shown.length > 0 ? shown.join(', ') : undefined;
}

const hostPort = (host: string, port: number): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

function describeUrl(url: unknown): string {
  try {
    const parsed = new URL(String(url));
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'the URL given';
  }
}

/**
 * The roots a check trusts: node's default roots plus `ca`. Node's own `ca` option replaces the default roots,
 * which is rarely what a check of a public endpoint with a private CA beside it wants.
 */
export function trustedRoots(ca: TlsCertificates): Array<string | Buffer> {
  const extra = Array.isArray(ca) ? ca : [ca as string | Buffer];
  return [...rootCertificates, ...extra];
}

/** A secure context trusting `trustedRoots(ca)`; undefined without `ca` (node's default context). */
function secureContextFor(
  ca: TlsCertificates | undefined,
): SecureContext | undefined {
  if (ca === undefined) return undefined;
  return createSecureContext({ ca: trustedRoots(ca) });
}

const isPem = (value: unknown): boolean =>
  (typeof value === 'string' || Buffer.isBuffer(value)) &&
  value.toString().includes('-----BEGIN CERTIFICATE-----');

/** Whether `value` is a PEM certificate or a non-empty array of them that node can read. */
export const isCertificates = (value: unknown): boolean => {
  const each = Array.isArray(value) ? value : [value];
  if (each.length === 0 || !each.every(isPem)) return false;
  try {
    createSecureContext({ ca: each as Array<string | Buffer> });
    return true;
  } catch {
    return false;
  }
};

/**
 * `checks.tls(name, { host, port } | { url }, servername?, ca?, minValidDays? })`: the certificate a server
 * presents is valid, for its name, from a trusted root, for at least `minValidDays` more days.
 */
export const tls = runnableReadyCheck<TlsCheckOptions, TlsRunOptions>({
  kind: 'tls',
  known: ['host', 'port', 'url', 'servername', 'ca', 'minValidDays'],
  validate(options) {
    if (options.has('url')) {
      if (options.has('host')) options.fail('host', 'no "host" beside "url"');
      if (options.has('port')) options.fail('port', 'no "port" beside "url"');
      options.check(
        'url',
        "a URL with a host, e.g. 'https://api.example.com' (another scheme needs its port: 'smtps://mail:465')",
        isTlsUrl,
        true,
      );
    } else {
      options.check(
        'host',
        'a host name or IP address, e.g. \'api.example.com\' (or give "url")',
        isHost,
        true,
      );
      options.check(
        'port',
        'an integer port between 1 and 65535',
        isPort,
        true,
      );
    }
    options.check(
      'servername',
      "a host name, e.g. 'api.example.com'",
      isNonEmptyString,
    );
    options.check(
      'ca',
      'a PEM certificate (string or Buffer) or a non-empty array of them',
      isCertificates,
    );
    options.check(
      'minValidDays',
      'a number of days, 0 or more',
      (value) =>
        typeof value === 'number' && Number.isFinite(value) && value >= 0,
    );
  },
  run: neverRejecting('tls', checkTls),
  create(own) {
    // Built once: reading a few hundred roots costs more than the handshake.
    const secureContext = secureContextFor(own.ca);
    return ({ signal }) => inspectCertificate(own, signal, secureContext);
  },
});
