import { performance } from 'node:perf_hooks';
import {
  createScrubber,
  createSensitiveKeyMatcher,
  scrubArgv,
  scrubString,
} from '../../lib/environment/scrub.js';
import { SECRET_DETECTORS } from '../../lib/environment/secret-detectors.js';
import { SCRUBBED_VALUE } from '../../lib/healthcheck.constants.js';
import { ORDINARY_VALUES } from '../fixtures/secret-corpus.fixture.js';

const MASK = SCRUBBED_VALUE;
const isSensitive = createSensitiveKeyMatcher();
const scrubber = createScrubber();
const part = (...pieces: string[]) => pieces.join('');
const example = (name: string) =>
  SECRET_DETECTORS.find((detector) => detector.name === name)!.example;

const KEY_ID = part('AK', 'IA', 'Z7Q4FAKE2WXY5KEY');
const SECRET_KEY = part('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYFAKEKEY012');

describe('a URL inside another URL', () => {
  it.each([
    [
      'https://app/cb?next=https://alice:pw@internal/',
      `https://app/cb?next=https://alice:${MASK}@internal/`,
    ],
    [
      'see https://app/login?redirect=postgres://u:p4ss@db/shop&x=1 now',
      `see https://app/login?redirect=postgres://u:${MASK}@db/shop&x=1 now`,
    ],
    [
      'https://a/?u=https://b/?v=redis://:deep@c:6379',
      `https://a/?u=https://b/?v=redis://:${MASK}@c:6379`,
    ],
  ])('masks the inner password of %s', (input, expected) => {
    expect(scrubString(input, isSensitive)).toBe(expected);
  });

  it('still masks an outer password that holds "://"', () => {
    expect(scrubString('redis://:pa://ss@cache:6379', isSensitive)).toBe(
      `redis://:${MASK}@cache:6379`,
    );
  });

  it('finishes quickly on 100 KB of nested schemes', () => {
    for (const input of [
      'https://a?n='.repeat(8_000),
      '://'.repeat(35_000),
      `${'x://u:'.repeat(16_000)}@`,
    ]) {
      const started = performance.now();
      scrubString(input, isSensitive);
      expect(performance.now() - started).toBeLessThan(250);
    }
  });
});

describe('key names with pwd or creds', () => {
  it.each(['MYSQL_PWD', 'DB_PWD', 'pwd', 'DB_CREDS', 'gcpCreds', 'creds'])(
    'masks %s',
    (key) => {
      expect(scrubber({ [key]: 'value' })).toEqual({ [key]: MASK });
    },
  );

  it.each(['PWD', 'OLDPWD', 'CREDIT_LIMIT'])(
    'keeps %s (the shell keeps the working directory in PWD and OLDPWD)',
    (key) => {
      expect(isSensitive(key)).toBe(false);
    },
  );

  it('masks a pwd query parameter', () => {
    expect(scrubString('mysql://db/app?pwd=abc', isSensitive)).toBe(
      `mysql://db/app?pwd=${MASK}`,
    );
  });
});

describe('lists: secrets that follow other entries', () => {
  it('masks an AWS secret access key given after its key id', () => {
    expect(
      scrubArgv(['aws-login', KEY_ID, SECRET_KEY, 'eu-west-1'], isSensitive),
    ).toEqual(['aws-login', `AKIA${MASK}`, MASK, 'eu-west-1']);
  });

  it('masks an AWS key id and the secret access key after it, in one string, with the separator', () => {
    for (const separator of [' ', ':', ',', '=', '\t', ' | ']) {
      expect(scrubber(`creds ${KEY_ID}${separator}${SECRET_KEY} ok`)).toBe(
        `creds AKIA${MASK} ok`,
      );
    }
  });

  it('keeps the entry after a key id when it is not shaped like a secret key', () => {
    expect(scrubArgv([KEY_ID, 'eu-west-1'], isSensitive)).toEqual([
      `AKIA${MASK}`,
      'eu-west-1',
    ]);
  });

  it('still masks the flag form --aws-access-key-id … --aws-secret-access-key …', () => {
    expect(
      scrubArgv(
        [
          'aws',
          '--aws-access-key-id',
          KEY_ID,
          '--aws-secret-access-key',
          SECRET_KEY,
        ],
        isSensitive,
      ),
    ).toEqual([
      'aws',
      '--aws-access-key-id',
      MASK,
      '--aws-secret-access-key',
      MASK,
    ]);
  });

  it.each([
    ['API_TOKEN=abc', `API_TOKEN=${MASK}`],
    ['DB_PASSWORD=p=w', `DB_PASSWORD=${MASK}`],
    ['MYSQL_PWD=', 'MYSQL_PWD='],
    ['PORT=3000', 'PORT=3000'],
    ['NODE_ENV=production', 'NODE_ENV=production'],
  ])('reads the positional KEY=VALUE %s', (entry, expected) => {
    expect(scrubArgv(['env', entry, 'node', 'main.js'], isSensitive)).toEqual([
      'env',
      expected,
      'node',
      'main.js',
    ]);
  });

  it('masks KEY=VALUE and --flag VALUE inside a command line held in one string', () => {
    expect(
      scrubber(
        `API_TOKEN=abc node main.js --db-password "a b" --api-key=k1 --port 80 --token 'x y'`,
      ),
    ).toBe(
      `API_TOKEN=${MASK} node main.js --db-password ${MASK} --api-key=${MASK} --port 80 --token ${MASK}`,
    );
  });

  it('masks the -p<password> of a MySQL or MariaDB client, in a list and in a string', () => {
    expect(
      scrubArgv(['mysqldump', '-uroot', '-psecret', 'shop'], isSensitive),
    ).toEqual(['mysqldump', '-uroot', `-p${MASK}`, 'shop']);
    expect(
      scrubArgv(['/usr/bin/mariadb', '-h', 'db', '-pS3cr3t!'], isSensitive),
    ).toEqual(['/usr/bin/mariadb', '-h', 'db', `-p${MASK}`]);
    expect(scrubber('ran mysql -uroot -psecret shop: exit 1')).toBe(
      `ran mysql -uroot -p${MASK} shop: exit 1`,
    );
  });

  it('keeps -p flags of other programs and a separate -p value', () => {
    const argv = ['java', '-port', '8080', '-profile', 'x', '-pthread'];
    expect(scrubArgv(argv, isSensitive)).toEqual(argv);
    expect(scrubArgv(['mysql', '-p', '-h', 'db'], isSensitive)).toEqual([
      'mysql',
      '-p',
      '-h',
      'db',
    ]);
    expect(scrubber('docker run -p8080:80 app')).toBe(
      'docker run -p8080:80 app',
    );
  });
});

describe('private keys split across list entries', () => {
  const body = [
    'MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu',
    'KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm',
  ];

  it.each(['RSA PRIVATE KEY', 'PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'])(
    'masks every entry from BEGIN %s to its END line',
    (label) => {
      const list = [
        '--key',
        'x',
        'before',
        part('-----BEGIN ', label, '-----'),
        ...body,
        part('-----END ', label, '-----'),
        'after',
      ];
      expect(scrubber(list)).toEqual([
        '--key',
        MASK,
        'before',
        MASK,
        MASK,
        MASK,
        MASK,
        'after',
      ]);
    },
  );

  it('masks to the end of the list when the END line is missing', () => {
    expect(
      scrubber(['a', part('-----BEGIN EC ', 'PRIVATE KEY-----'), body[0], 7]),
    ).toEqual(['a', MASK, MASK, MASK]);
  });

  it('keeps a certificate split across entries', () => {
    const list = [
      '-----BEGIN CERTIFICATE-----',
      body[0],
      '-----END CERTIFICATE-----',
    ];
    expect(scrubber(list)).toEqual(list);
  });
});

describe('PGP private key blocks', () => {
  it('masks the body of an armored PGP private key', () => {
    expect(scrubber(example('PGP private key block'))).toBe(
      `-----BEGIN PGP PRIVATE KEY BLOCK-----${MASK}-----END PGP PRIVATE KEY BLOCK-----`,
    );
  });

  it('keeps a PGP public key block', () => {
    const text =
      '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQENBFakePublic\n-----END PGP PUBLIC KEY BLOCK-----';
    expect(scrubber(text)).toBe(text);
  });
});

describe('the new rules and ordinary values', () => {
  it.each(ORDINARY_VALUES)('keep %s in a list, too', (value) => {
    expect(scrubber(['node', value, value])).toEqual(['node', value, value]);
  });
});
