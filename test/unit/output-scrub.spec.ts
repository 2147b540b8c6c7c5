import fc from 'fast-check';
import { createOutputScrubber } from '../../lib/environment/output-scrub.js';
import { SECRET_DETECTORS } from '../../lib/environment/secret-detectors.js';
import { SCRUBBED_VALUE } from '../../lib/healthcheck.constants.js';
import {
  dnsResolved,
  httpAnswered,
  httpWrongStatus,
  roundTripAnswered,
  tcpFailed,
} from '../../lib/healthcheck.messages.js';
import {
  ORDINARY_VALUES,
  SECRET_CORPUS,
} from '../fixtures/secret-corpus.fixture.js';

const MASK = SCRUBBED_VALUE;
const scrubOutput = createOutputScrubber();

/** Outputs as checks write them; none holds a secret. */
const ORDINARY_OUTPUTS: unknown[] = [
  ...ORDINARY_VALUES,
  roundTripAnswered('SELECT 1', 1.7),
  httpAnswered('GET', 'http://localhost:3000/health', 200, 3.2),
  httpWrongStatus('GET', 'https://api.example.com/v1/items?page=2', 503, '2xx'),
  tcpFailed('db.internal', 5432, 'connect ECONNREFUSED 10.0.0.5:5432'),
  dnsResolved('example.com', 'lookup', '93.184.216.34', 4.1),
  'redis://cache.internal:6379 answered PONG in 0.4 ms',
  42,
  0,
  true,
  false,
  null,
  [],
  {},
  { status: 'up', latencyMs: 12, host: 'db.internal', replicas: [1, 2, 3] },
  ['primary ok', { lag: 0.2 }, 'replica ok'],
];

describe('createOutputScrubber', () => {
  it('masks the password of a URL in a thrown message', () => {
    expect(scrubOutput('connect failed for postgres://app:pw@db/shop')).toBe(
      `connect failed for postgres://app:${MASK}@db/shop`,
    );
  });

  it('masks URL passwords, detector shapes and sensitive keys at any depth', () => {
    const github = SECRET_DETECTORS.find(
      ({ name }) => name === 'GitHub token',
    )!.example;
    expect(
      scrubOutput({
        error: 'redis://:s3cret@cache:6379 refused',
        attempts: [{ url: 'amqp://u:p@mq/v', note: `token ${github}` }],
        credentials: { user: 'app', password: 'pw' },
        apiKey: 12345,
        ok: false,
      }),
    ).toEqual({
      error: `redis://:${MASK}@cache:6379 refused`,
      attempts: [{ url: `amqp://u:${MASK}@mq/v`, note: `token ghp_${MASK}` }],
      credentials: MASK,
      apiKey: MASK,
      ok: false,
    });
  });

  it('masks the password of user:password@host without a scheme, as gRPC targets have it', () => {
    expect(
      scrubOutput('connect to dns:bob:hunter2@127.0.0.1:2379 failed'),
    ).toBe(`connect to dns:bob:${MASK}@127.0.0.1:2379 failed`);
    expect(scrubOutput('memcached bob:hunter2@10.0.0.2:11211 refused')).toBe(
      `memcached bob:${MASK}@10.0.0.2:11211 refused`,
    );
    expect(scrubOutput('mail to ops@example.com, port 25')).toBe(
      'mail to ops@example.com, port 25',
    );
  });

  it('masks a secret that is a key, as terminus results keyed by a URL have it', () => {
    expect(
      scrubOutput({
        'postgres://app:s3cr3t@db/shop': { status: 'down' },
        database: { status: 'up' },
      }),
    ).toEqual({
      [`postgres://app:${MASK}@db/shop`]: { status: 'down' },
      database: { status: 'up' },
    });
  });

  it('applies the user rules: a string names keys, a RegExp names keys and masks its matches', () => {
    const withRules = createOutputScrubber(['tenant', /INT-\d{4}/]);
    expect(
      withRules({
        tenant_id: 'acme',
        'INT-0001': 'x',
        message: 'ticket INT-1234 failed',
        other: 'the tenant is acme',
      }),
    ).toEqual({
      tenant_id: MASK,
      'INT-0001': MASK,
      message: `ticket ${MASK} failed`,
      other: 'the tenant is acme',
    });
  });

  it.each(SECRET_CORPUS.map((entry) => [entry.label, entry]))(
    'masks the corpus secret in an output: %s',
    (_label, { value, secrets }) => {
      const scrubbed = JSON.stringify(
        scrubOutput({ error: `check failed: ${value}`, list: [value] }),
      );
      for (const secret of secrets) expect(scrubbed).not.toContain(secret);
    },
  );

  it.each(ORDINARY_OUTPUTS.map((output) => [JSON.stringify(output), output]))(
    'returns the ordinary output %s itself (===)',
    (_shown, output) => {
      expect(scrubOutput(output)).toBe(output);
    },
  );

  it('copies only what it masks: untouched branches keep their identity', () => {
    const kept = { latencyMs: 3, hosts: ['a', 'b'] };
    const output = { kept, url: 'mysql://root:pw@db/app' };
    const scrubbed = scrubOutput(output) as typeof output;
    expect(scrubbed).not.toBe(output);
    expect(scrubbed.kept).toBe(kept);
    expect(output.url).toBe('mysql://root:pw@db/app');
  });

  it('never throws: an output it cannot walk becomes the mask', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 200_000; level++) deep = [deep];
    const hostile = Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(() => scrubOutput(deep)).not.toThrow();
    expect(scrubOutput(deep)).toBe(MASK);
    expect(scrubOutput(hostile)).toBe(MASK);
    expect(scrubOutput(undefined)).toBeUndefined();
  });

  it('never lets a generated URL password through, in a message or nested', () => {
    const password = fc.string({
      unit: fc.constantFrom(...'abcXYZ019@/#?:%&=+;!$*()[]~-._,'.split('')),
      minLength: 1,
      maxLength: 24,
    });
    fc.assert(
      fc.property(
        fc.constantFrom('postgres', 'mysql', 'redis', 'amqps', 'https'),
        fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
        password.filter((text) => /[A-Za-z0-9]{3}/.test(text)),
        fc.domain(),
        fc.constantFrom('connect failed for ', 'retrying ', ''),
        (scheme, user, secret, host, prefix) => {
          const url = `${scheme}://${user}:${secret}@${host}/db`;
          const scrubbed = JSON.stringify(
            scrubOutput({
              message: `${prefix}${url}: ECONNREFUSED`,
              attempts: [url, { url }],
            }),
          );
          expect(scrubbed).not.toContain(`:${secret}@`);
          expect(scrubbed).toContain(`${scheme}://${user}:${MASK}@${host}/db`);
        },
      ),
      { numRuns: 300 },
    );
  });
});
