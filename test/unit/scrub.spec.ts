import { SCRUBBED_VALUE } from '../../lib/healthcheck.constants.js';
import {
  createSensitiveKeyMatcher,
  scrub,
  scrubArgv,
  scrubString,
} from '../../lib/environment/scrub.js';
import type { JsonValue } from '../../lib/serialization/to-json-safe.js';

const isSensitive = createSensitiveKeyMatcher();
const MASK = SCRUBBED_VALUE;

/** Nests `leaf` under `depth - 1` levels of plain keys. */
function nested(depth: number, leaf: Record<string, JsonValue>): JsonValue {
  let value: JsonValue = leaf;
  for (let level = 1; level < depth; level++)
    value = { [`level${level}`]: value };
  return value;
}

describe('scrub', () => {
  it('masks SOME_KEY=fake-key as in the seed suite', () => {
    expect(scrub({ SOME_KEY: 'fake-key' }, isSensitive)).toEqual({
      SOME_KEY: MASK,
    });
  });

  describe.each([1, 2, 3, 4, 5, 6, 12])('at depth %i', (depth) => {
    it.each(['key', 'Key', 'somekey', 'someKey', 'key_value', 'Key_value'])(
      'masks "%s" and keeps its plain siblings',
      (key) => {
        const input = nested(depth, {
          [key]: 'secret-value',
          plain: 'visible',
        });
        expect(scrub(input, isSensitive)).toEqual(
          nested(depth, { [key]: MASK, plain: 'visible' }),
        );
      },
    );
  });

  it.each([
    'API_TOKEN',
    'db_password',
    'PASSWD',
    'client_secret',
    'aws_credentials',
    'Authorization',
    'privateKey',
    'cookie_jar',
    'SESSION_ID',
    'webhookSignature',
  ])('masks keys containing a sensitive fragment: %s', (key) => {
    expect(scrub({ [key]: 'x' }, isSensitive)).toEqual({ [key]: MASK });
  });

  it('masks the whole value under a sensitive key, objects and arrays included', () => {
    expect(scrub({ auth: { user: 'a', list: [1, 2] } }, isSensitive)).toEqual({
      auth: MASK,
    });
  });

  it('masks inside arrays of objects', () => {
    expect(scrub({ users: [{ name: 'a', token: 't' }] }, isSensitive)).toEqual({
      users: [{ name: 'a', token: MASK }],
    });
  });

  it('leaves harmless keys and non-string values alone', () => {
    const input = { host: 'db', port: 5432, tls: true, nothing: null };
    expect(scrub(input, isSensitive)).toEqual(input);
  });

  it('masks keys matched by extra string and RegExp patterns', () => {
    const custom = createSensitiveKeyMatcher(['dsn', /^internal_/i]);
    expect(
      scrub(
        { SENTRY_DSN: 'https://x', INTERNAL_HOST: 'h', external_host: 'e' },
        custom,
      ),
    ).toEqual({ SENTRY_DSN: MASK, INTERNAL_HOST: MASK, external_host: 'e' });
  });

  it('gives the same answer every time for a global RegExp pattern', () => {
    const custom = createSensitiveKeyMatcher([/^internal_/g]);
    expect([
      custom('internal_a'),
      custom('internal_a'),
      custom('internal_a'),
    ]).toEqual([true, true, true]);
  });
});

describe('scrubString', () => {
  it.each([
    ['postgres://user:pw@host:5432/db', `postgres://user:${MASK}@host:5432/db`],
    ['redis://:s3cr3t@cache:6379/0', `redis://:${MASK}@cache:6379/0`],
    [
      'amqp://guest:guest@mq/vhost?heartbeat=30',
      `amqp://guest:${MASK}@mq/vhost?heartbeat=30`,
    ],
    [
      'connect to mysql://root:hunter2@db then go',
      `connect to mysql://root:${MASK}@db then go`,
    ],
  ])('masks only the password of %s', (input, expected) => {
    expect(scrubString(input, isSensitive)).toBe(expected);
  });

  it('keeps a URL with a user but no password as it is', () => {
    expect(scrubString('ssh://git@github.com/repo', isSensitive)).toBe(
      'ssh://git@github.com/repo',
    );
  });

  it('masks sensitive query parameters and keeps the others', () => {
    expect(
      scrubString(
        'https://api.example.com/v1?api_key=abc&page=2&access_token=xyz#top',
        isSensitive,
      ),
    ).toBe(
      `https://api.example.com/v1?api_key=${MASK}&page=2&access_token=${MASK}#top`,
    );
  });

  it('leaves strings without URLs alone', () => {
    expect(scrubString('user:pw@host is not a URL', isSensitive)).toBe(
      'user:pw@host is not a URL',
    );
  });

  it('is applied to string values anywhere in a structure', () => {
    expect(
      scrub({ databases: [{ url: 'postgres://u:p@h/d' }] }, isSensitive),
    ).toEqual({
      databases: [{ url: `postgres://u:${MASK}@h/d` }],
    });
  });
});

describe('scrubArgv', () => {
  it('masks --flag=value when the flag names a secret', () => {
    expect(
      scrubArgv(
        ['node', 'main.js', '--db-password=x', '--port=3000'],
        isSensitive,
      ),
    ).toEqual(['node', 'main.js', `--db-password=${MASK}`, '--port=3000']);
  });

  it('masks the value after a sensitive flag given as a separate entry', () => {
    expect(
      scrubArgv(['--token', 'abc', '--verbose', '-p', '80'], isSensitive),
    ).toEqual(['--token', MASK, '--verbose', '-p', '80']);
  });

  it('does not swallow a following flag after a sensitive switch without a value', () => {
    expect(scrubArgv(['--use-auth', '--port', '80'], isSensitive)).toEqual([
      '--use-auth',
      '--port',
      '80',
    ]);
  });

  it('masks URL passwords inside arguments', () => {
    expect(scrubArgv(['--db=postgres://u:p@h/d'], isSensitive)).toEqual([
      `--db=postgres://u:${MASK}@h/d`,
    ]);
  });

  it('is applied to argv and execArgv keys by scrub', () => {
    expect(
      scrub(
        {
          argv: ['--token', 't'],
          execArgv: ['--secret=s'],
          other: ['--token', 't'],
        },
        isSensitive,
      ),
    ).toEqual({
      argv: ['--token', MASK],
      execArgv: [`--secret=${MASK}`],
      other: ['--token', 't'],
    });
  });
});
