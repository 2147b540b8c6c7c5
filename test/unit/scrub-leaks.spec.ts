import fc from 'fast-check';
import {
  createScrubber,
  createSensitiveKeyMatcher,
  scrubArgv,
} from '../../lib/environment/scrub.js';
import { SECRET_DETECTORS } from '../../lib/environment/secret-detectors.js';
import { SCRUBBED_VALUE } from '../../lib/healthcheck.constants.js';

const MASK = SCRUBBED_VALUE;
const scrubber = createScrubber();

/** Characters a URL cannot hold unencoded at all; they end it. */
const URL_END = /[\s"<>`]/u;

const asciiPasswordCharacter = fc.constantFrom(
  ..."abcXYZ019@/#?:%&=+;!$*()[]~-._,\\'".split(''),
);
const unicodeCharacter = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 1 })
  .filter((character) => !URL_END.test(character));

/** Passwords as people write them in connection strings: `@ / # ? : %`, unicode, anything but a URL's end. */
const password = fc.string({
  unit: fc.oneof(asciiPasswordCharacter, unicodeCharacter),
  minLength: 1,
  maxLength: 24,
});

/** A user name cannot hold `:` (it would end it) nor `/ ? #` (they would end the authority). */
const user = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...'abcXYZ019@%._-+!~'.split('')),
    unicodeCharacter.filter((character) => !/[:/?#]/.test(character)),
  ),
  maxLength: 10,
});

const scheme = fc.oneof(
  fc.constantFrom(
    'postgres',
    'postgresql',
    'mysql',
    'mongodb+srv',
    'redis',
    'rediss',
    'amqp',
    'https',
    'http',
    'ftp',
    'jdbc:sqlserver',
  ),
  fc.stringMatching(/^[a-z][a-z0-9+.-]{0,8}$/),
);

/** What follows the password: a host, maybe a port, a path and a query without secrets or `@`. */
const rest = fc
  .record({
    host: fc.oneof(fc.domain(), fc.constant('127.0.0.1'), fc.constant('[::1]')),
    port: fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined }),
    path: fc.array(fc.stringMatching(/^[a-z0-9-]{1,8}$/), { maxLength: 3 }),
    query: fc.option(fc.stringMatching(/^[a-z]{1,6}=[a-z0-9]{0,6}$/), {
      nil: undefined,
    }),
  })
  .filter(({ query }) => {
    const name = query?.split('=')[0] ?? '';
    return (
      !createSensitiveKeyMatcher()(name) &&
      !/^(?:password|pwd|accountkey|sharedaccesskey)$/i.test(name)
    );
  })
  .map(
    ({ host, port, path, query }) =>
      `${host}${port === undefined ? '' : `:${port}`}` +
      `${path.map((segment) => `/${segment}`).join('')}${query ? `?${query}` : ''}`,
  );

const words = fc
  .array(
    fc.constantFrom(
      'connect',
      'to',
      'the',
      'database',
      'at',
      'then',
      'retry',
      '(',
      ')',
      ',',
    ),
    {
      minLength: 1,
      maxLength: 5,
    },
  )
  .map((list) => list.join(' '));

describe('no secret leaks through the scrubber (property tests)', () => {
  it('masks exactly the password of any URL, alone or inside a sentence', () => {
    fc.assert(
      fc.property(
        scheme,
        user,
        password,
        rest,
        words,
        words,
        (scheme, user, password, rest, before, after) => {
          const url = `${scheme}://${user}:${password}@${rest}`;
          const expected = `${scheme}://${user}:${MASK}@${rest}`;
          expect(scrubber(url)).toBe(expected);
          expect(scrubber(`${before} ${url} ${after}`)).toBe(
            `${before} ${expected} ${after}`,
          );
          expect(scrubber({ nested: [{ value: url }] })).toEqual({
            nested: [{ value: expected }],
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('masks the password of every URL when several share a string', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(scheme, user, password, rest), {
          minLength: 2,
          maxLength: 4,
        }),
        (urls) => {
          const text = urls
            .map(
              ([scheme, user, password, rest]) =>
                `${scheme}://${user}:${password}@${rest}`,
            )
            .join(' and ');
          const expected = urls
            .map(
              ([scheme, user, , rest]) => `${scheme}://${user}:${MASK}@${rest}`,
            )
            .join(' and ');
          expect(scrubber(text)).toBe(expected);
        },
      ),
    );
  });

  it('masks the entry after a sensitive flag given without "=", whatever it holds', () => {
    const isSensitive = createSensitiveKeyMatcher();
    fc.assert(
      fc.property(
        fc.constantFrom(
          '--db-password',
          '--token',
          '-secret',
          '--api-key',
          '--auth',
        ),
        fc.string({ minLength: 1 }),
        fc.constantFrom('--port', '80', 'main.js'),
        (flag, value, next) => {
          expect(scrubArgv(['node', flag, value, next], isSensitive)).toEqual([
            'node',
            flag,
            MASK,
            next,
          ]);
          expect(scrubArgv([`${flag}=${value}`], isSensitive)).toEqual([
            `${flag}=${MASK}`,
          ]);
        },
      ),
    );
  });

  it('masks every detector example wherever it sits in a sentence, and keeps the words', () => {
    const masked = new Map(
      SECRET_DETECTORS.map((detector) => [
        detector.example,
        scrubber(detector.example) as string,
      ]),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(
          ...SECRET_DETECTORS.map((detector) => detector.example),
        ),
        words,
        words,
        fc.constantFrom(' ', '\n', '\t', ' "', ' (', ' = '),
        (example, before, after, separator) => {
          const closing =
            separator === ' "' ? '" ' : separator === ' (' ? ') ' : ' ';
          expect(
            scrubber(`${before}${separator}${example}${closing}${after}`),
          ).toBe(
            `${before}${separator}${masked.get(example)}${closing}${after}`,
          );
        },
      ),
    );
  });

  it('leaves ordinary values alone: UUIDs, SHAs, versions, dates, numbers, paths, URLs without credentials', () => {
    const ordinary = fc.oneof(
      fc.uuid(),
      fc.stringMatching(/^[0-9a-f]{40}$/),
      fc
        .tuple(fc.nat(99), fc.nat(99), fc.nat(999))
        .map(([major, minor, patch]) => `${major}.${minor}.${patch}`),
      fc
        .date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true })
        .map((date) => date.toISOString()),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.integer().map(String),
      fc
        .array(fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/), {
          minLength: 1,
          maxLength: 6,
        })
        .map((segments) => `/${segments.join('/')}`),
      fc.webUrl({ withFragments: true }),
    );
    fc.assert(
      fc.property(ordinary, (value) => {
        expect(scrubber(value)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });
});
