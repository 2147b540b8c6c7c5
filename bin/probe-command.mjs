// The probe command's logic: argument parsing and the one-line summary are pure functions; `probe` is the only
// I/O. Plain ES module with no dependency beyond Node.js, so it starts fast in images without curl or wget.
import { Buffer } from 'node:buffer';
import { request as httpRequest } from 'node:http';
import { clearTimeout, setTimeout } from 'node:timers';
import { URL } from 'node:url';

export const COMMAND_NAME = 'nestjs-healthcheck-probe';
export const DEFAULT_TIMEOUT_MS = 2_000;
/** Longest timeout a Node.js timer can hold. */
export const MAX_TIMEOUT_MS = 2_147_483_647;
/** Bytes of the body read at most; a longer body is left unread and only its status counts. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Exit codes: a 2xx answer, anything else, and a command line that cannot be used. */
export const EXIT_HEALTHY = 0;
export const EXIT_UNHEALTHY = 1;
export const EXIT_USAGE = 2;
/** Failed check names listed at most, characters of each name shown at most, and of the whole list. */
const MAX_NAMES = 10;
const MAX_NAME_LENGTH = 80;
const MAX_NAMES_LENGTH = 200;

export const USAGE = `usage: ${COMMAND_NAME} URL [--timeout MS]

Requests URL (http: or https:) once, on a fresh connection, and exits 0 for a 2xx answer, 1 for any other
answer or none within the timeout (default ${DEFAULT_TIMEOUT_MS} ms), 2 for a command line it cannot use.
Prints one line: the status and the names of the checks that failed.`;

/**
 * Reads the command line: one http(s) URL and an optional `--timeout MS` (or `--timeout=MS`), a whole number of
 * milliseconds from 1 to 2147483647. Answers `{ help: true }` for `-h`/`--help`, or `{ error }` with the reason.
 */
export function parseProbeArguments(args) {
  let target;
  let timeoutText;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '-h' || arg === '--help') return { help: true };
    if (arg === '--timeout') {
      if (index + 1 >= args.length) return { error: '--timeout needs a value' };
      if (timeoutText !== undefined) return { error: '--timeout given twice' };
      timeoutText = args[++index];
    } else if (arg.startsWith('--timeout=')) {
      if (timeoutText !== undefined) return { error: '--timeout given twice' };
      timeoutText = arg.slice('--timeout='.length);
    } else if (arg.startsWith('-')) {
      // Only the option's name: a value given with it may be a secret (`--header=Authorization: ...`).
      return { error: `unknown option ${printable(arg.split('=')[0])}` };
    } else if (target !== undefined) {
      return { error: 'give one URL' };
    } else {
      target = arg;
    }
  }
  if (target === undefined) return { error: 'a URL is needed' };
  let url;
  try {
    url = new URL(target);
  } catch {
    return { error: `not a URL: ${printable(withoutSecrets(target))}` };
  }
  if (!isDecodable(url.username) || !isDecodable(url.password)) {
    return {
      error:
        'the user name or password in the URL is not valid percent-encoding',
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      error: `only http: and https: URLs, not ${printable(url.protocol)}`,
    };
  }
  const timeoutMs =
    timeoutText === undefined ? DEFAULT_TIMEOUT_MS : parseTimeout(timeoutText);
  if (timeoutMs === undefined) {
    return {
      error: `--timeout takes milliseconds from 1 to ${MAX_TIMEOUT_MS}, not ${printable(timeoutText)}`,
    };
  }
  return { url, timeoutMs };
}

/** The text of a URL that cannot be read, with what may be secret cut out: the user info and the query. */
function withoutSecrets(text) {
  return text.replace(/^.*@/s, '…@').replace(/([?#]).*$/s, '$1…');
}

/** Node.js decodes the user name and password of the URL and throws on a bad escape, outside any callback. */
function isDecodable(text) {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

function parseTimeout(text) {
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 && value <= MAX_TIMEOUT_MS ? value : undefined;
}

/** A JSON body as an object, or undefined when it is not JSON or not an object. */
function jsonObject(contentType, body) {
  if (!/json/i.test(contentType ?? '')) return undefined;
  try {
    const parsed = JSON.parse(body);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Names of the failed checks in a body, or undefined when the body is not a health report: this module's JSON
 * report (`results` of `{ checker, passed }`) or the IETF `application/health+json` format (`checks` whose
 * entries have a `status`; `fail` counts as failed, `warn` is apart). Reads names only, never outputs.
 */
export function failedCheckNames(contentType, body) {
  const parsed = jsonObject(contentType, body);
  if (!parsed) return undefined;
  if (Array.isArray(parsed.results)) {
    const results = parsed.results.filter(
      (result) =>
        isObject(result) &&
        typeof result.checker === 'string' &&
        typeof result.passed === 'boolean',
    );
    if (results.length !== parsed.results.length) return undefined;
    return results
      .filter((result) => !result.passed)
      .map((result) => result.checker);
  }
  if (isObject(parsed.checks) && typeof parsed.status === 'string') {
    return ietfCheckNames(parsed.checks, IETF_FAILED);
  }
  return undefined;
}

/** The names of the checks of an IETF `checks` object with an entry whose status is in `statuses`. */
function ietfCheckNames(checks, statuses) {
  return Object.entries(checks)
    .filter(
      ([, entries]) =>
        Array.isArray(entries) &&
        entries.some((entry) => isObject(entry) && statuses.has(entry.status)),
    )
    .map(([name]) => name);
}

/**
 * Names of the checks that passed but said they are degraded, in this module's JSON report; `[]` for any other
 * body (the IETF format cannot tell them from failed non-critical checks: both are `warn`).
 */
export function degradedCheckNames(contentType, body) {
  const parsed = jsonObject(contentType, body);
  if (!parsed || !Array.isArray(parsed.results)) return [];
  return parsed.results
    .filter(
      (result) =>
        isObject(result) &&
        result.passed === true &&
        result.degraded === true &&
        typeof result.checker === 'string',
    )
    .map((result) => result.checker);
}

/** The draft's failing statuses and their aliases; `warn` (a non-critical failure, or degraded) is apart. */
const IETF_FAILED = new Set(['fail', 'error', 'down']);
const IETF_WARN = new Set(['warn']);

/** Names of the checks with a `warn` entry in an IETF body; `[]` for any other body. */
export function warningCheckNames(contentType, body) {
  const parsed = jsonObject(contentType, body);
  if (!parsed || Array.isArray(parsed.results)) return [];
  if (!isObject(parsed.checks) || typeof parsed.status !== 'string') return [];
  return ietfCheckNames(parsed.checks, IETF_WARN);
}

/**
 * The one line printed for an answer: `healthy` or `unhealthy`, the status, and the failed checks' names when
 * the body is a health report (on a 2xx answer these are non-critical checks: the report is degraded).
 */
export function summarizeAnswer({ status, contentType, body, truncated }) {
  const verdict = isHealthyStatus(status) ? 'healthy' : 'unhealthy';
  let line = `${verdict}: HTTP ${status}`;
  const failed =
    (truncated ? undefined : failedCheckNames(contentType, body)) ?? [];
  const degraded = truncated ? [] : degradedCheckNames(contentType, body);
  const warnings = truncated ? [] : warningCheckNames(contentType, body);
  if (!isHealthyStatus(status)) {
    if (failed.length > 0) line += `, failed checks: ${listNames(failed)}`;
    if (warnings.length > 0) {
      line += `, checks with warnings: ${listNames(warnings)}`;
    }
  } else if (failed.length + degraded.length + warnings.length > 0) {
    line += ', degraded';
    if (failed.length > 0) {
      line += `, failed non-critical checks: ${listNames(failed)}`;
    }
    if (degraded.length > 0) {
      line += `, degraded checks: ${listNames(degraded)}`;
    }
    if (warnings.length > 0) {
      line += `, checks with warnings: ${listNames(warnings)}`;
    }
  }
  if (status >= 300 && status < 400) line += ' (redirects are not followed)';
  if (truncated) line += `, body over ${MAX_BODY_BYTES} bytes left unread`;
  return line;
}

/** The line printed when no answer came: the reason in a few words and the error code, never a body. */
export function summarizeFailure(error) {
  return `unhealthy: ${describeFailure(error)}`;
}

/** The line printed when the timeout ends the request. */
export function summarizeTimeout(timeoutMs, status) {
  return status === undefined
    ? `unhealthy: no answer within ${timeoutMs} ms`
    : `unhealthy: HTTP ${status} but the body did not end within ${timeoutMs} ms`;
}

/** The line printed when the connection closes before the body ends. */
export function summarizeCutOff(status) {
  return `unhealthy: HTTP ${status} but the connection closed before the body ended`;
}

export function isHealthyStatus(status) {
  return status >= 200 && status < 300;
}

const REASONS = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
  // OpenSSL's answer when the server does not speak TLS (e.g. an https URL on a plain HTTP port).
  EPROTO: 'TLS failed',
  HPE_INVALID_CONSTANT: 'not an HTTP answer',
};

function describeFailure(error) {
  const code = typeof error?.code === 'string' ? error.code : undefined;
  if (code === undefined) return 'request failed';
  // Node.js' documented error for a connection the server closed (not reset) before the answer's headers ended.
  if (code === 'ECONNRESET' && error.message === 'socket hang up') {
    return 'connection closed before the answer ended';
  }
  if (REASONS[code]) return `${REASONS[code]} (${code})`;
  if (code.startsWith('HPE_')) return `not a valid HTTP answer (${code})`;
  if (/CERT|TLS|SSL/.test(code)) return `TLS failed (${printable(code)})`;
  return `request failed (${printable(code)})`;
}

function listNames(names) {
  const shown = [];
  let length = 0;
  for (const name of names.slice(0, MAX_NAMES).map(printable)) {
    length += (shown.length > 0 ? 2 : 0) + name.length;
    if (shown.length > 0 && length > MAX_NAMES_LENGTH) break;
    shown.push(name);
  }
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/**
 * A text safe on one line of a log: control characters, Unicode line breaks and invisible format characters
 * (bidirectional overrides, zero-width) replaced, cut to a readable length without splitting a character.
 */
function printable(text) {
  const clean = String(text).replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '?');
  return clean.length > MAX_NAME_LENGTH
    ? `${clean.slice(0, MAX_NAME_LENGTH).replace(/[\ud800-\udbff]$/, '')}…`
    : clean;
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Requests `url` once on a connection of its own (no agent, no keep-alive) and answers the exit code and the
 * line to print. `timeoutMs` bounds everything: connecting, the headers and the body. The socket is destroyed
 * at the end, whatever the outcome.
 */
export async function probe(url, timeoutMs) {
  const request =
    url.protocol === 'https:'
      ? (await import('node:https')).request
      : httpRequest;
  return new Promise((resolve) => {
    let status;
    let req;
    let res;
    let settled = false;
    const timer = setTimeout(
      () => finish(EXIT_UNHEALTHY, summarizeTimeout(timeoutMs, status)),
      timeoutMs,
    );
    function finish(exitCode, line) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      res?.destroy();
      req?.destroy();
      resolve({ exitCode, line });
    }
    req = request(url, {
      method: 'GET',
      agent: false,
      headers: {
        accept: 'application/json, application/health+json',
        'user-agent': COMMAND_NAME,
        connection: 'close',
      },
    });
    req.on('error', (error) => {
      // Bytes that are not HTTP after a whole answer fail the parser before the answer's 'end' is emitted.
      if (!res?.complete) finish(EXIT_UNHEALTHY, summarizeFailure(error));
    });
    // A 101 answer hands the connection over to another protocol: without this listener Node.js drops the socket
    // silently and the probe would wait for its timeout.
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      finish(
        EXIT_UNHEALTHY,
        summarizeAnswer({
          status: response.statusCode ?? 0,
          contentType: undefined,
          body: '',
          truncated: false,
        }),
      );
    });
    req.on('response', (response) => {
      res = response;
      status = response.statusCode ?? 0;
      const chunks = [];
      let size = 0;
      const answer = (truncated) =>
        finish(
          isHealthyStatus(status) ? EXIT_HEALTHY : EXIT_UNHEALTHY,
          summarizeAnswer({
            status,
            contentType: response.headers['content-type'],
            body: truncated ? '' : Buffer.concat(chunks).toString('utf8'),
            truncated,
          }),
        );
      response.on('data', (chunk) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) answer(true);
        else chunks.push(chunk);
      });
      response.on('end', () => answer(false));
      // Node.js reports a body cut off as an 'aborted' error before the close.
      response.on('error', () =>
        finish(EXIT_UNHEALTHY, summarizeCutOff(status)),
      );
      response.on('close', () =>
        finish(EXIT_UNHEALTHY, summarizeCutOff(status)),
      );
    });
    req.end();
  });
}

/**
 * The whole command: answers the exit code, the line and the stream to print it on (usage errors go to stderr,
 * with the usage).
 */
export async function runProbeCommand(args) {
  const parsed = parseProbeArguments(args);
  if (parsed.help) {
    return { exitCode: EXIT_HEALTHY, line: USAGE, stream: 'stdout' };
  }
  if (parsed.error !== undefined) {
    return {
      exitCode: EXIT_USAGE,
      line: `${COMMAND_NAME}: ${parsed.error}\n${USAGE}`,
      stream: 'stderr',
    };
  }
  const { exitCode, line } = await probe(parsed.url, parsed.timeoutMs);
  return { exitCode, line, stream: 'stdout' };
}
