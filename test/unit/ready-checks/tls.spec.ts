import { rootCertificates } from 'node:tls';
import {
  invalidCheckOption,
  tlsCertificateExpiry,
  tlsHandshakeFailed,
  unknownCheckOption,
} from '../../../lib/healthcheck.messages.js';
import {
  describeAuthorizationError,
  isDateVerifyError,
} from '../../../lib/ready-checks/tls/authorization-error.describer.js';
import {
  DAY_MS,
  daysLeft,
  isoDate,
  judgeDates,
  parseCertificateDate,
} from '../../../lib/ready-checks/tls/certificate-validity.js';
import { checkTls, tlsChecks } from '../../../lib/ready-checks/tls/index.js';
import { trustedRoots } from '../../../lib/ready-checks/tls/tls.check.js';
import { tlsEndpoint } from '../../../lib/ready-checks/tls/tls-endpoint.js';
import { describeValue } from '../../../lib/serialization/describe-value.js';
import { closedPort } from '../../support/ready-check.helpers.js';

const { tls } = tlsChecks;
const from = new Date('2026-01-01T00:00:00Z');
const to = new Date('2026-04-01T00:00:00Z');
const at = (iso: string): number => Date.parse(iso);

describe('certificate dates', () => {
  it('counts whole days left, rounded down, and negative days once expired', () => {
    expect(daysLeft(to, to.getTime() - 3 * DAY_MS)).toBe(3);
    expect(daysLeft(to, to.getTime() - 3 * DAY_MS + 1)).toBe(2);
    expect(daysLeft(to, to.getTime() - 1)).toBe(0);
    expect(daysLeft(to, to.getTime() + 1)).toBe(-1);
    expect(daysLeft(to, to.getTime() + 10 * DAY_MS)).toBe(-10);
  });

  it('is valid between its dates with more days left than asked', () => {
    expect(judgeDates(from, to, at('2026-02-01T00:00:00Z'), 14)).toEqual({
      state: 'valid',
      daysLeft: 59,
    });
  });

  it('is expiring with fewer whole days left than minValidDays, and valid at exactly that many', () => {
    expect(judgeDates(from, to, at('2026-03-18T00:00:00Z'), 14)).toEqual({
      state: 'valid',
      daysLeft: 14,
    });
    expect(judgeDates(from, to, at('2026-03-18T00:00:01Z'), 14)).toEqual({
      state: 'expiring',
      daysLeft: 13,
    });
  });

  it('with minValidDays 0 it passes until the last millisecond', () => {
    expect(judgeDates(from, to, to.getTime(), 0).state).toBe('valid');
    expect(judgeDates(from, to, to.getTime() + 1, 0).state).toBe('expired');
  });

  it('is expired after its end and not yet valid before its start, with the days to its end', () => {
    expect(judgeDates(from, to, at('2026-04-03T00:00:00Z'), 14)).toEqual({
      state: 'expired',
      daysLeft: -2,
    });
    expect(judgeDates(from, to, at('2025-12-31T00:00:00Z'), 14)).toEqual({
      state: 'not-yet-valid',
      daysLeft: 91,
    });
  });

  it('reads the dates as node gives them (OpenSSL form) and writes the UTC day', () => {
    const date = parseCertificateDate('Mar  1 12:00:00 2027 GMT');
    expect(date?.toISOString()).toBe('2027-03-01T12:00:00.000Z');
    expect(isoDate(new Date('2027-03-01T23:59:59Z'))).toBe('2027-03-01');
    expect(parseCertificateDate('')).toBeUndefined();
    expect(parseCertificateDate('not a date')).toBeUndefined();
    expect(parseCertificateDate(undefined)).toBeUndefined();
  });

  it('words the expiry as days left, or days ago once expired', () => {
    expect(tlsCertificateExpiry('2027-03-01', 90)).toBe(
      'expires on 2027-03-01, 90 days left',
    );
    expect(tlsCertificateExpiry('2027-03-01', 1)).toBe(
      'expires on 2027-03-01, 1 day left',
    );
    expect(tlsCertificateExpiry('2020-02-01', -30)).toBe(
      'expired on 2020-02-01, 30 days ago',
    );
  });
});

describe('verification errors', () => {
  it('words the codes node reports, keeping the code', () => {
    expect(describeAuthorizationError('DEPTH_ZERO_SELF_SIGNED_CERT')).toBe(
      'it is self-signed: DEPTH_ZERO_SELF_SIGNED_CERT',
    );
    expect(
      describeAuthorizationError(
        Object.assign(new Error('x'), { code: 'CERT_REVOKED' }),
      ),
    ).toBe('it has been revoked: CERT_REVOKED');
    expect(describeAuthorizationError('SOME_NEW_CODE')).toBe('SOME_NEW_CODE');
  });

  it('leaves date errors to the date judgement', () => {
    expect(isDateVerifyError('CERT_HAS_EXPIRED')).toBe(true);
    expect(isDateVerifyError('CERT_NOT_YET_VALID')).toBe(true);
    expect(isDateVerifyError('DEPTH_ZERO_SELF_SIGNED_CERT')).toBe(false);
  });
});

describe('where checks.tls connects', () => {
  it('takes host and port, or reads them from a URL with default ports per scheme', () => {
    expect(tlsEndpoint({ host: 'db', port: 5432 })).toEqual({
      host: 'db',
      port: 5432,
    });
    expect(tlsEndpoint({ url: 'https://api.example.com/health' })).toEqual({
      host: 'api.example.com',
      port: 443,
    });
    expect(tlsEndpoint({ url: 'smtps://mail.example.com' })).toEqual({
      host: 'mail.example.com',
      port: 465,
    });
    expect(tlsEndpoint({ url: new URL('https://[::1]:8443') })).toEqual({
      host: '::1',
      port: 8443,
    });
    expect(() => tlsEndpoint({ url: 'postgres://db' })).toThrow(
      'no host and port in postgres://db',
    );
  });

  it('trusts the default roots plus the ca given, instead of the ca alone', () => {
    const pem = '-----BEGIN CERTIFICATE-----\n…';
    const roots = trustedRoots(pem);
    expect(roots).toHaveLength(rootCertificates.length + 1);
    expect(roots.slice(0, -1)).toEqual([...rootCertificates]);
    expect(roots.at(-1)).toBe(pem);
    expect(trustedRoots([pem, pem])).toHaveLength(rootCertificates.length + 2);
  });

  it('fails with the reason when nothing listens', async () => {
    const port = await closedPort();
    expect(await checkTls({ host: '127.0.0.1', port })).toEqual({
      passed: false,
      output: tlsHandshakeFailed(
        `127.0.0.1:${port}`,
        `connect ECONNREFUSED 127.0.0.1:${port}`,
      ),
    });
  });
});

describe('checks.tls options', () => {
  const where = "checks.tls('cert')";

  it('builds with host and port, or a url, with the usual options beside', () => {
    expect(
      tls('cert', { host: 'api', port: 443, minValidDays: 30, tags: ['x'] }),
    ).toMatchObject({ name: 'cert', options: { tags: ['x'] } });
    expect(tls('cert', { url: 'https://api', minValidDays: 0 }).name).toBe(
      'cert',
    );
  });

  it.each([
    [
      { port: 443 },
      'host',
      `a host name or IP address, e.g. 'api.example.com' (or give "url")`,
    ],
    [{ host: 'api' }, 'port', 'an integer port between 1 and 65535'],
    [{ host: 'api', port: 0 }, 'port', 'an integer port between 1 and 65535'],
    [{ url: 'https://api', host: 'api' }, 'host', 'no "host" beside "url"'],
    [
      { url: 'ftp://files' },
      'url',
      "a URL with a host, e.g. 'https://api.example.com' (another scheme needs its port: 'smtps://mail:465')",
    ],
    [
      { host: 'api', port: 443, minValidDays: -1 },
      'minValidDays',
      'a number of days, 0 or more',
    ],
    [
      { host: 'api', port: 443, ca: 'not a pem' },
      'ca',
      'a PEM certificate (string or Buffer) or a non-empty array of them',
    ],
    [
      { host: 'api', port: 443, servername: '' },
      'servername',
      "a host name, e.g. 'api.example.com'",
    ],
  ])('refuses %j at build time, naming %s', (options, option, expected) => {
    const got = describeValue((options as Record<string, unknown>)[option]);
    expect(() => tls('cert', options as never)).toThrow(
      invalidCheckOption(where, option, expected, got),
    );
  });

  it('refuses a URL given as host, and never repeats the password of a refused URL', () => {
    expect(() =>
      tls('cert', { host: 'https://bob:hunter2@api', port: 443 }),
    ).toThrow(
      invalidCheckOption(
        where,
        'host',
        `a host name or IP address, e.g. 'api.example.com' (or give "url")`,
        "the string 'https://bob:***@api'",
      ),
    );
    for (const url of ['https://bob:hunter2@/x', 'ftp://bob:hunter2@files']) {
      let message = '';
      try {
        tls('cert', { url });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain('Invalid option "url"');
      expect(message).toContain('bob:***@');
      expect(message).not.toContain('hunter2');
    }
  });

  it('refuses an unknown option', () => {
    expect(() =>
      tls('cert', { host: 'api', port: 443, minDays: 3 } as never),
    ).toThrow(
      unknownCheckOption(where, 'minDays', [
        'host',
        'port',
        'url',
        'servername',
        'ca',
        'minValidDays',
      ]),
    );
  });
});
