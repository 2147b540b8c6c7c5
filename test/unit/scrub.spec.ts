import { SCRUBBED_VALUE } from '../../lib/healthcheck.constants.js';
import {
  createScrubber,
  createSensitiveKeyMatcher,
  maskValues,
  scrub,
  scrubArgv,
  scrubString,
} from '../../lib/environment/scrub.js';
import { SECRET_DETECTORS } from '../../lib/environment/secret-detectors.js';
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

  it.each([
    'SENTRY_DSN',
    'JWT_ISSUER_KEYS',
    'PASSWORD_SALT',
    'BEARER',
    'SLACK_WEBHOOK_URL',
  ])('masks %s, named by the newer fragments', (key) => {
    expect(scrub({ [key]: 'x' }, isSensitive)).toEqual({ [key]: MASK });
  });

  it.each([
    'PATH',
    'HOME',
    'PWD',
    'NODE_ENV',
    'HOSTNAME',
    'LANG',
    'TZ',
    'PORT',
    'LOG_LEVEL',
  ])('keeps the innocent key %s', (key) => {
    expect(isSensitive(key)).toBe(false);
  });

  it('keeps a __proto__ key as an ordinary key', () => {
    const input = JSON.parse('{"__proto__": {"token": "t", "a": 1}}');
    const result = scrub(input, isSensitive) as Record<string, JsonValue>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(JSON.stringify(result)).toBe(
      `{"__proto__":{"token":"${MASK}","a":1}}`,
    );
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

  it.each([
    ['postgres://app:p@ss@db:5432/app', `postgres://app:${MASK}@db:5432/app`],
    ['redis://:s3cr/t@cache:6379', `redis://:${MASK}@cache:6379`],
    ['amqps://u:a#b?c/d:e@mq/vhost', `amqps://u:${MASK}@mq/vhost`],
    ['x-custom+v2://u:pw@h', `x-custom+v2://u:${MASK}@h`],
    ['jdbc:mysql://root:pw@db/app', `jdbc:mysql://root:${MASK}@db/app`],
    [
      'first postgres://a:one@h1/d, then "mysql://b:two@h2/d"',
      `first postgres://a:${MASK}@h1/d, then "mysql://b:${MASK}@h2/d"`,
    ],
    ['https://a@b.example:pw@host/p', `https://a@b.example:${MASK}@host/p`],
  ])(
    'masks everything between user: and the last @ of %s',
    (input, expected) => {
      expect(scrubString(input, isSensitive)).toBe(expected);
    },
  );

  it('masks from the port to the last @ when a URL path holds an @ (no way to tell a password apart)', () => {
    expect(scrubString('http://localhost:4873/@scope/pkg', isSensitive)).toBe(
      `http://localhost:${MASK}@scope/pkg`,
    );
  });

  it('masks secret parameters of the fragment too', () => {
    expect(
      scrubString(
        'https://app.example.com/cb#access_token=abc&state=1',
        isSensitive,
      ),
    ).toBe(`https://app.example.com/cb#access_token=${MASK}&state=1`);
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

  it('leaves strings without credentials alone', () => {
    expect(scrubString('host:5432 is not a URL', isSensitive)).toBe(
      'host:5432 is not a URL',
    );
  });

  it('masks user:password@host without a scheme too', () => {
    expect(scrubString('user:pw@host is not a URL', isSensitive)).toBe(
      `user:${MASK}@host is not a URL`,
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

  it('masks the entry after a sensitive flag given without "=", whatever it starts with', () => {
    expect(
      scrubArgv(['--db-password', '-abc', '--api-token', '--x'], isSensitive),
    ).toEqual(['--db-password', MASK, '--api-token', MASK]);
  });

  it('masks the entry after a sensitive switch even when it is the next flag', () => {
    expect(scrubArgv(['--use-auth', '--port', '80'], isSensitive)).toEqual([
      '--use-auth',
      MASK,
      '80',
    ]);
  });

  it('masks a non-string entry after a sensitive flag, and nothing after a trailing one', () => {
    expect(scrubArgv(['--token', 42, '--secret'], isSensitive)).toEqual([
      '--token',
      MASK,
      '--secret',
    ]);
  });

  it('applies value detectors to every entry', () => {
    const jwt = SECRET_DETECTORS.find(({ name }) => name === 'JWT')!.example;
    expect(
      scrubArgv(['--header', `Authorization: Bearer ${jwt}`], isSensitive),
    ).toEqual(['--header', `Authorization: Bearer ${MASK}`]);
  });

  it('masks URL passwords inside arguments', () => {
    expect(scrubArgv(['--db=postgres://u:p@h/d'], isSensitive)).toEqual([
      `--db=postgres://u:${MASK}@h/d`,
    ]);
  });

  it('is applied by scrub to every list: argv, execArgv and any other', () => {
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
      other: ['--token', MASK],
    });
  });
});

describe('createScrubber', () => {
  it('applies key names, URLs, detectors and lists at any depth', () => {
    const scrubber = createScrubber();
    const github = SECRET_DETECTORS.find(
      ({ name }) => name === 'GitHub token',
    )!.example;
    expect(
      scrubber({
        a: {
          b: [{ token: 'x', url: 'redis://:p/w@h', note: `use ${github}` }],
        },
        command: ['--password', '-p'],
      }),
    ).toEqual({
      a: {
        b: [
          { token: MASK, url: `redis://:${MASK}@h`, note: `use ghp_${MASK}` },
        ],
      },
      command: ['--password', MASK],
    });
  });

  it('tests a user RegExp on keys and masks each of its matches inside strings', () => {
    const scrubber = createScrubber(['tenant', /INT-\d{4}-[A-Z]+/]);
    expect(
      scrubber({
        'INT-1234-KEYS': 'v',
        tenant_name: 'acme',
        note: 'codes INT-1234-ABC and INT-9999-XYZ, not INT-12',
        other: 'the tenant is acme',
      }),
    ).toEqual({
      'INT-1234-KEYS': MASK,
      tenant_name: MASK,
      note: `codes ${MASK} and ${MASK}, not INT-12`,
      other: 'the tenant is acme',
    });
  });

  it("masks only a user RegExp's group named secret when it has one", () => {
    const scrubber = createScrubber([/license=(?<secret>[A-Z0-9]+)/]);
    expect(scrubber('flags license=ABC123 on')).toBe(
      `flags license=${MASK} on`,
    );
  });

  it('ignores the g and y flags of a user RegExp and survives one that matches the empty string', () => {
    const scrubber = createScrubber([/x*/gy]);
    expect(scrubber(['axxb', 'xx'])).toEqual([`a${MASK}b`, MASK]);
    expect(scrubber('axxb')).toBe(`a${MASK}b`);
  });
});

describe('maskValues', () => {
  it('keeps every key and masks every leaf; lists keep their length', () => {
    expect(
      maskValues({
        env: { PATH: '/bin', PORT: '80' },
        list: [1, 'a', null, { deep: true }],
        empty: {},
        none: [],
      }),
    ).toEqual({
      env: { PATH: MASK, PORT: MASK },
      list: [MASK, MASK, MASK, { deep: MASK }],
      empty: {},
      none: [],
    });
  });

  it('masks a plain value', () => {
    expect(maskValues('text')).toBe(MASK);
  });
});
