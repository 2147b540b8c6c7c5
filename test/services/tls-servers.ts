import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import {
  run,
  startInProcessServer,
  tempDir,
  type InProcessServer,
} from './service-utils.js';

/** A key and the certificate made for it, in PEM. */
export interface KeyPair {
  key: string;
  cert: string;
}

/** Certificates made by `openssl` for the TLS tests, all for `localhost` and 127.0.0.1 unless said otherwise. */
export interface TestCertificates {
  /** The test CA's certificate, to give as `ca`. */
  ca: string;
  /** Valid from yesterday for a year. */
  valid: KeyPair;
  /** Valid from yesterday until three days from now. */
  expiring: KeyPair;
  /** Valid in January 2020 only. */
  expired: KeyPair;
  /** Valid for a year, for `wrong.example` only. */
  wrongHost: KeyPair;
  /** Signed by its own key, valid for a year. */
  selfSigned: KeyPair;
  /** Valid from 2035 on. */
  notYetValid: KeyPair;
  /**
   * Valid for a year, issued by an intermediate CA that expired in February 2020 (itself issued by the test
   * CA): `cert` holds both, as a server sends its chain.
   */
  expiredIntermediate: KeyPair;
  /** Removes the directory they were made in. */
  dispose(): Promise<void>;
}

const DAY_MS = 86_400_000;
const LOCAL_NAMES = 'subjectAltName=DNS:localhost,IP:127.0.0.1';

/** `20270301120000Z`, the form `openssl ca -startdate/-enddate` takes. */
const opensslDate = (ms: number): string =>
  `${new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

/** Makes a test CA and the certificates of `TestCertificates` with `openssl`, in a temporary directory. */
export async function makeCertificates(): Promise<TestCertificates> {
  const dir = await tempDir('tls');
  const file = (name: string): string => join(dir, name);
  await mkdir(file('newcerts'));
  await writeFile(file('index.txt'), '');
  await writeFile(file('serial'), '1000\n');
  await writeFile(
    file('ca.cnf'),
    [
      '[ ca ]',
      'default_ca = test_ca',
      '[ test_ca ]',
      `database = ${file('index.txt')}`,
      `new_certs_dir = ${file('newcerts')}`,
      `serial = ${file('serial')}`,
      'default_md = sha256',
      'policy = any_name',
      'copy_extensions = copy',
      'unique_subject = no',
      '[ any_name ]',
      'commonName = supplied',
      '[ intermediate_ca ]',
      'basicConstraints = critical,CA:true',
      'keyUsage = critical,keyCertSign,cRLSign',
      '',
    ].join('\n'),
  );
  /** A key `<name>.key` and a certificate `<name>.pem` signed by that key itself. */
  const selfSigned = (name: string, days: number, extra: string[]) =>
    run('openssl', [
      'req',
      '-x509',
      ...EC_KEY,
      '-nodes',
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.pem`),
      '-days',
      String(days),
      ...extra,
    ]);
  await selfSigned('ca', 3650, ['-subj', '/CN=Healthcheck Test CA']);
  const now = Date.now();
  const signed = async (
    name: string,
    start: number | string,
    end: number | string,
    names = LOCAL_NAMES,
    commonName = 'localhost',
    issuer = 'ca',
    extensions: string[] = [],
  ): Promise<KeyPair> => {
    await run('openssl', [
      'req',
      '-new',
      ...EC_KEY,
      '-nodes',
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.csr`),
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      names,
    ]);
    await run('openssl', [
      'ca',
      '-batch',
      '-notext',
      '-config',
      file('ca.cnf'),
      '-cert',
      file(`${issuer}.pem`),
      '-keyfile',
      file(`${issuer}.key`),
      ...extensions,
      '-in',
      file(`${name}.csr`),
      '-out',
      file(`${name}.pem`),
      '-startdate',
      typeof start === 'number' ? opensslDate(start) : start,
      '-enddate',
      typeof end === 'number' ? opensslDate(end) : end,
    ]);
    return pair(name);
  };
  const pair = async (name: string): Promise<KeyPair> => ({
    key: await readFile(file(`${name}.key`), 'utf8'),
    cert: await readFile(file(`${name}.pem`), 'utf8'),
  });
  const valid = await signed('valid', now - DAY_MS, now + 365 * DAY_MS);
  const expiring = await signed('expiring', now - DAY_MS, now + 3 * DAY_MS);
  const expired = await signed('expired', '20200101000000Z', '20200201000000Z');
  const wrongHost = await signed(
    'wrong-host',
    now - DAY_MS,
    now + 365 * DAY_MS,
    'subjectAltName=DNS:wrong.example',
    'wrong.example',
  );
  const notYetValid = await signed(
    'not-yet-valid',
    '20350101000000Z',
    '20360101000000Z',
  );
  const intermediate = await signed(
    'intermediate',
    '20200101000000Z',
    '20200201000000Z',
    'subjectAltName=DNS:intermediate.example',
    'Expired Intermediate CA',
    'ca',
    ['-extensions', 'intermediate_ca'],
  );
  const underIntermediate = await signed(
    'under-intermediate',
    now - DAY_MS,
    now + 365 * DAY_MS,
    LOCAL_NAMES,
    'localhost',
    'intermediate',
  );
  await selfSigned('self-signed', 365, [
    '-subj',
    '/CN=localhost',
    '-addext',
    LOCAL_NAMES,
  ]);
  return {
    ca: await readFile(file('ca.pem'), 'utf8'),
    valid,
    expiring,
    expired,
    wrongHost,
    selfSigned: await pair('self-signed'),
    notYetValid,
    expiredIntermediate: {
      key: underIntermediate.key,
      cert: underIntermediate.cert + intermediate.cert,
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A node TLS server on 127.0.0.1 that answers `ok` and closes; it can be stopped and started on its port. */
export interface TestTlsServer {
  port: number;
  /** The TCP connections it holds now. */
  connections(): Promise<number>;
  /** Connections accepted since it started. */
  readonly accepted: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Starts a TLS server with `pair` on a free loopback port (or on `port`). */
export async function startTlsServer(
  pair: KeyPair,
  port = 0,
): Promise<TestTlsServer> {
  let server: Server | undefined;
  let accepted = 0;
  const open = new Set<Socket>();
  let current = port;
  const start = async (): Promise<void> => {
    const next = createServer(pair, (socket) => {
      socket.on('error', () => undefined);
      socket.end('ok\n');
    });
    next.on('connection', (socket: Socket) => {
      accepted += 1;
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    });
    next.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(current, '127.0.0.1', () => resolve());
    });
    current = (next.address() as { port: number }).port;
    server = next;
  };
  await start();
  return {
    get port() {
      return current;
    },
    get accepted() {
      return accepted;
    },
    connections: () =>
      new Promise((resolve, reject) => {
        if (!server) return resolve(0);
        server.getConnections((error, count) =>
          error ? reject(error) : resolve(count),
        );
      }),
    stop: async () => {
      const stopping = server;
      server = undefined;
      if (!stopping) return;
      await new Promise<void>((resolve) => {
        stopping.close(() => resolve());
        // Connections still open would hold close(): their clients see them reset.
        for (const socket of open) socket.destroy();
      });
    },
    start,
  };
}

/** A server that accepts TCP connections and never says a word: a TLS handshake with it never ends. */
export function startSilentServer(): Promise<InProcessServer> {
  // Reads (and drops) what comes, so it sees the client close the connection.
  return startInProcessServer((socket) => socket.resume());
}
