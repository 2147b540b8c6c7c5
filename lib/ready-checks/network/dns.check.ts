import { promises as dnsPromises } from 'node:dns';
import {
  dnsFailed,
  dnsResolved,
  earlierLookupPending,
} from '../../healthcheck.messages.js';
import { abortable } from '../shared/abortable.js';
import { probeUnlessEarlier } from '../shared/earlier-probe.js';
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

/** The record types a DNS query of `checks.dns` may ask for. */
export const DNS_RECORD_TYPES = [
  'A',
  'AAAA',
  'ANY',
  'CAA',
  'CNAME',
  'MX',
  'NAPTR',
  'NS',
  'PTR',
  'SOA',
  'SRV',
  'TXT',
] as const;

/** A record type of a DNS query. */
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

/** Options of `checks.dns`. */
export interface DnsCheckOptions {
  /** The name to resolve. */
  hostname: string;
  /** Sends a DNS query for this record type instead of asking the system resolver. */
  rrtype?: DnsRecordType;
  /** Sends a DNS query to these servers (`'10.0.0.2'`, `'10.0.0.2:5353'`, `'[::1]:53'`); default record type A. */
  servers?: readonly string[];
}

/** The system resolver's lookup, as `dns.promises.lookup(hostname, { all: true })` answers. */
export type DnsLookup = (
  hostname: string,
  options: { all: true },
) => Promise<ReadonlyArray<{ address: string }>>;

/** What `checks.dns.run()` takes. */
export interface DnsRunOptions extends DnsCheckOptions {
  /** Aborts the resolution (a DNS query is cancelled). */
  signal?: AbortSignal;
  /** The system lookup; `dns.promises.lookup` by default. */
  lookup?: DnsLookup;
}

/** One key per lookup function and host name: the lookup in flight for it, if any. */
const lookupKeys = new WeakMap<DnsLookup, Map<string, object>>();

function lookupKey(lookup: DnsLookup, hostname: string): object {
  let byHost = lookupKeys.get(lookup);
  if (!byHost) lookupKeys.set(lookup, (byHost = new Map()));
  let key = byHost.get(hostname);
  if (!key) byHost.set(hostname, (key = {}));
  return key;
}

const MAX_SHOWN_ANSWERS = 5;
const HOSTNAME_EXPECTED = "a host name, e.g. 'db.internal'";

/**
 * The check's logic. It may reject on options it cannot use: `checkDns` turns that into a failed outcome, as
 * `.run` promises.
 */
async function checkDnsUnguarded(
  options: DnsRunOptions,
  extra?: ReadyCheckRunOptions,
): Promise<ReadyCheckOutcome> {
  const { hostname, signal } = withRunOptions(options, extra);
  // node would look up the text "undefined" and find no records: a pass for a check that checked nothing.
  requireRunOption('dns', 'hostname', HOSTNAME_EXPECTED, hostname);
  const query = options.rrtype !== undefined || options.servers !== undefined;
  const rrtype = options.rrtype ?? 'A';
  const how = query
    ? `${rrtype} query${options.servers ? ` to ${options.servers.join(', ')}` : ''}`
    : 'system lookup';
  const started = performance.now();
  let answers: unknown[];
  try {
    if (query) {
      const resolver = new dnsPromises.Resolver({ tries: 1 });
      if (options.servers) resolver.setServers(options.servers);
      answers = await abortable(
        resolver.resolve(hostname, rrtype) as Promise<unknown[]>,
        signal,
        () => resolver.cancel(),
      );
    } else {
      // A lookup cannot be cancelled and holds a libuv pool thread until it returns: never start a second.
      const lookup = options.lookup ?? (dnsPromises.lookup as DnsLookup);
      const found = await abortable(
        probeUnlessEarlier(
          lookupKey(lookup, hostname),
          (ageMs) => earlierLookupPending(hostname, ageMs),
          () => lookup(hostname, { all: true }),
        ),
        signal,
      );
      answers = found.map((each) => each.address);
    }
  } catch (error) {
    return {
      passed: false,
      output: dnsFailed(hostname, how, describeNetworkError(error, signal)),
    };
  }
  const ms = elapsedMs(started);
  return {
    passed: true,
    output: dnsResolved(hostname, how, describeAnswers(answers), ms),
    observedValue: roundMs(ms),
    observedUnit: 'ms',
  };
}

/**
 * Resolves `hostname`. With neither `rrtype` nor `servers`, asks the system resolver (`dns.lookup`: the hosts
 * file, then DNS), as the application's own connections do; it cannot be cancelled, so an abort only stops the
 * wait, and until it returns every run fails at once rather than start another. With either, sends a DNS query through a `dns.promises.Resolver` of its own, cancelled on abort. The
 * observed value is the time taken in ms.
 */
export const checkDns = neverRejecting('dns', checkDnsUnguarded);

function describeAnswers(answers: readonly unknown[]): string {
  if (answers.length === 0) return 'no records';
  const shown = answers.slice(0, MAX_SHOWN_ANSWERS).map(describeAnswer);
  const more = answers.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

function describeAnswer(answer: unknown): string {
  if (typeof answer === 'string') return answer;
  if (Array.isArray(answer)) return answer.join('');
  return JSON.stringify(answer);
}

const areServers = (value: unknown): boolean => {
  if (!Array.isArray(value) || value.length === 0) return false;
  try {
    new dnsPromises.Resolver().setServers(value as string[]);
    return true;
  } catch {
    return false;
  }
};

/** `checks.dns(name, { hostname, rrtype?, servers? })`: passes when `hostname` resolves. */
export const dns = runnableReadyCheck<DnsCheckOptions, DnsRunOptions>({
  kind: 'dns',
  known: ['hostname', 'rrtype', 'servers'],
  validate(options) {
    options.check('hostname', HOSTNAME_EXPECTED, isNonEmptyString, true);
    options.check('rrtype', `one of ${DNS_RECORD_TYPES.join(', ')}`, (value) =>
      (DNS_RECORD_TYPES as readonly unknown[]).includes(value),
    );
    options.check(
      'servers',
      "a non-empty array of server addresses, e.g. ['10.0.0.2', '10.0.0.3:5353']",
      areServers,
    );
  },
  run: checkDns,
});
