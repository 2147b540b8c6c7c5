import { performance } from 'node:perf_hooks';
import { adversarialInputs, URL_SAMPLE } from '../../bench/bench-scrub.js';
import { createScrubber } from '../../lib/environment/scrub.js';
import {
  maskMatches,
  maskSecrets,
  mayMatch,
  SECRET_DETECTORS,
} from '../../lib/environment/secret-detectors.js';
import { SCRUBBED_VALUE } from '../../lib/healthcheck.constants.js';
import {
  ORDINARY_VALUES,
  SECRET_CORPUS,
} from '../fixtures/secret-corpus.fixture.js';

const MASK = SCRUBBED_VALUE;
const part = (...pieces: string[]) => pieces.join('');
const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** What each detector leaves of its own example: only the secret part is masked. */
const MASKED_EXAMPLES: Record<string, string> = {
  'PEM private key': `-----BEGIN RSA PRIVATE KEY-----${MASK}-----END RSA PRIVATE KEY-----`,
  'PGP private key block': `-----BEGIN PGP PRIVATE KEY BLOCK-----${MASK}-----END PGP PRIVATE KEY BLOCK-----`,
  'Bearer credentials': `Authorization: Bearer ${MASK}`,
  'Basic credentials': `Authorization: Basic ${MASK}`,
  'Connection string field': `Server=tcp:db.internal,1433;Database=app;User Id=app;Password=${MASK};Encrypt=true`,
  JWT: `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${MASK}`,
  'Slack webhook URL': `https://hooks.slack.com/services/T0FAKE0000/B0FAKE0000/${MASK}`,
  'Slack token': `xoxb-${MASK}`,
  'GitHub token': `ghp_${MASK}`,
  'GitLab token': `glpat-${MASK}`,
  'npm token': `npm_${MASK}`,
  'Stripe key': `sk_live_${MASK}`,
  'AWS access key id and secret access key': `AKIA${MASK}`,
  'AWS access key id': `AKIA${MASK}`,
  'Google API key': `AIza${MASK}`,
  'SendGrid key': `SG.${MASK}`,
  'OpenAI / Anthropic style key': `sk-${MASK}`,
};

describe('SECRET_DETECTORS', () => {
  it('has an expected masking for every detector, and every detector is global with group indices', () => {
    expect(SECRET_DETECTORS.map(({ name }) => name).sort()).toEqual(
      Object.keys(MASKED_EXAMPLES).sort(),
    );
    for (const { pattern } of SECRET_DETECTORS) {
      expect(pattern.flags).toMatch(/g/);
      expect(pattern.flags).toMatch(/d/);
      expect(pattern.source).toContain('(?<secret>');
    }
  });

  describe.each(SECRET_DETECTORS.map((detector) => [detector.name, detector]))(
    '%s',
    (name, detector) => {
      it('masks only the secret part of its example', () => {
        expect(
          maskMatches(detector.example, detector.pattern, detector.accepts),
        ).toBe(MASKED_EXAMPLES[name]);
      });

      it('masks its example inside a sentence, twice, and leaves the words', () => {
        const text = `first ${detector.example}; then (${detector.example}) done`;
        expect(maskSecrets(text)).toBe(
          `first ${MASKED_EXAMPLES[name]}; then (${MASKED_EXAMPLES[name]}) done`,
        );
      });

      it('finishes quickly on every 100 KB adversarial input', () => {
        for (const input of adversarialInputs(detector.example)) {
          const started = performance.now();
          maskMatches(input, detector.pattern, detector.accepts);
          expect(performance.now() - started).toBeLessThan(250);
        }
      });
    },
  );

  it('finishes quickly with the whole scrubber on the URL rule and every adversarial input', () => {
    const scrubber = createScrubber();
    const inputs = [
      ...adversarialInputs(URL_SAMPLE),
      ...SECRET_DETECTORS.flatMap((detector) =>
        adversarialInputs(detector.example),
      ),
    ];
    for (const input of inputs) {
      const started = performance.now();
      scrubber(input);
      expect(performance.now() - started).toBeLessThan(500);
    }
  });

  it.each(['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'])(
    'masks GitHub tokens with the prefix %s',
    (prefix) => {
      expect(maskSecrets(`${prefix}AbCdEf0123456789AbCdEf0123456789AbCd`)).toBe(
        `${prefix}${MASK}`,
      );
    },
  );

  it('masks GitHub fine-grained tokens', () => {
    expect(
      maskSecrets(
        part('github', '_pat_', '11ABCDEFG0123456789_abcdefghijklmnop'),
      ),
    ).toBe(`github_pat_${MASK}`);
  });

  it.each([
    ['Pwd=abc;Uid=x', `Pwd=${MASK};Uid=x`],
    ['PASSWORD = "a;b" ;x=1', `PASSWORD = ${MASK} ;x=1`],
    ['Pwd={a;b};Uid=x', `Pwd=${MASK};Uid=x`],
    [
      'AccountName=a;AccountKey=abc==;x=1',
      `AccountName=a;AccountKey=${MASK};x=1`,
    ],
    [
      'SharedAccessKeyName=Root;SharedAccessKey=abc=',
      `SharedAccessKeyName=Root;SharedAccessKey=${MASK}`,
    ],
  ])('masks the connection string field of %s', (input, expected) => {
    expect(maskSecrets(input)).toBe(expected);
  });

  it.each([
    [part('rk', '_live_', 'Abc0123456789'), `rk_live_${MASK}`],
    [part('sk', '_test_', 'Abc0123456789'), `sk_test_${MASK}`],
    [part('AS', 'IA', 'ABCDEFGH01234567'), `ASIA${MASK}`],
    [part('xo', 'xa-', '0123456789-abc'), `xoxa-${MASK}`],
    [
      part('sk', '-ant-api03-', 'AbCdEf0123456789_AbCdEf-0123456789'),
      `sk-${MASK}`,
    ],
  ])('masks %s', (input, expected) => {
    expect(maskSecrets(input)).toBe(expected);
  });

  it('masks a private key whose END line is missing', () => {
    expect(
      maskSecrets(part('-----BEGIN ', 'PRIVATE KEY-----\nMIIEvQIBADAN')),
    ).toBe(`-----BEGIN PRIVATE KEY-----${MASK}`);
  });

  it('leaves a certificate (public) alone', () => {
    const certificate =
      '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----';
    expect(maskSecrets(certificate)).toBe(certificate);
  });

  it('does not take three dotted parts for a JWT unless the first is a JSON header', () => {
    const notJwt = `${base64url('{"a":')}.${base64url('{"b":1}')}.c2ln`;
    expect(notJwt.startsWith('eyJ')).toBe(true);
    expect(maskSecrets(notJwt)).toBe(notJwt);
  });

  it.each([
    'Bearer token',
    'bearer support',
    'Basic plan',
    'Basic information about the service',
    'sk-learn-classifier-model-version-2',
    'the task-runner-and-worker-pool-v2',
    'AKIAABCDEFGH01234567X',
  ])('raises no false alarm on %s', (text) => {
    expect(maskSecrets(text)).toBe(text);
  });

  it('has hints that every match holds (lower-case for case-insensitive patterns)', () => {
    const texts = [
      ...SECRET_DETECTORS.map(({ example }) => example),
      ...SECRET_CORPUS.map(({ value }) => value),
    ].flatMap((text) => [text, text.toUpperCase(), text.toLowerCase()]);
    for (const detector of SECRET_DETECTORS) {
      expect(detector.hints.length).toBeGreaterThan(0);
      if (detector.pattern.ignoreCase)
        for (const hint of detector.hints)
          expect(hint).toBe(hint.toLowerCase());
      for (const text of texts) {
        detector.pattern.lastIndex = 0;
        if (detector.pattern.exec(text) !== null)
          expect(mayMatch(detector, text, text.toLowerCase())).toBe(true);
      }
      detector.pattern.lastIndex = 0;
    }
  });

  it.each(ORDINARY_VALUES)('leaves the ordinary value %s alone', (value) => {
    expect(createScrubber()(value)).toBe(value);
  });

  it.each(SECRET_CORPUS.map((entry) => [entry.label, entry]))(
    'masks the corpus secret: %s',
    (_label, { value, secrets }) => {
      const scrubbed = createScrubber()(value) as string;
      expect(scrubbed).toContain(MASK);
      for (const secret of secrets) expect(scrubbed).not.toContain(secret);
    },
  );
});
