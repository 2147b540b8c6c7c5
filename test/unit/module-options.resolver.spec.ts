import { DEFAULTS } from '../../lib/healthcheck.constants.js';
import {
  headerNameInvalid,
  headerNotSettable,
  headerValueInvalid,
  invalidHeaderOption,
  invalidOption,
  unknownOption,
} from '../../lib/healthcheck.messages.js';
import {
  HealthcheckModule,
  type HealthcheckModuleOptions,
} from '../../lib/index.js';
import { EXPECTED } from '../../lib/options/option-validators.js';
import {
  MODULE_OPTION_KEYS,
  resolveModuleOptions,
} from '../../lib/options/module-options.resolver.js';

describe('resolveModuleOptions', () => {
  it('fills in the documented defaults', () => {
    expect(resolveModuleOptions(undefined)).toEqual({
      path: DEFAULTS.path,
      timing: { timeout: 10_000, successTtl: 27_000, failedTtl: 9_000 },
      successStatus: 200,
      failedStatus: 500,
      successHeaders: {},
      failedHeaders: {},
      successHandler: undefined,
      failedHandler: undefined,
      maxOutputBytes: 4_096,
      environment: null,
      format: 'json',
      showDetails: true,
      shutdownDelay: 0,
      onStatusChange: undefined,
      guards: [],
      swagger: true,
      checks: [],
      server: null,
      decorators: [],
      metrics: null,
      otel: null,
      history: { size: 100 },
      ui: null,
    });
  });

  it.each([
    [{ successTtl: null }, 0],
    [{ successTtl: 0 }, 0],
    [{ successTtl: 1_500 }, 1_500],
  ])('reads %p as a success TTL of %p ms', (options, ttl) => {
    expect(resolveModuleOptions(options).timing.successTtl).toBe(ttl);
  });

  it.each(['healthcheck', '/healthcheck', '/healthcheck/', 'healthcheck/'])(
    'accepts the path %p',
    (path) => {
      expect(resolveModuleOptions({ path }).path).toBe('healthcheck');
    },
  );

  it.each([':id', '*', 'health/(.*)', '../x', 'a/./b', 'a/../b', 'héalth'])(
    'refuses the path %p: route syntax and dot segments would differ between the routers',
    (path) => {
      expect(() => resolveModuleOptions({ path })).toThrow(
        invalidOption('path', EXPECTED.path, `the string '${path}'`),
      );
    },
  );

  it.each(['health/v1', 'status.json', '_internal/health-check~1'])(
    'accepts the plain path %p',
    (path) => {
      expect(resolveModuleOptions({ path }).path).toBe(path);
    },
  );

  it('enables the environment with every default when given true', () => {
    expect(resolveModuleOptions({ environment: true }).environment).toEqual({
      path: 'environment',
      includeOs: true,
      includeNode: true,
      includeProcess: true,
      includeConfig: true,
      config: undefined,
      scrub: [],
      showValues: 'always',
      guards: [],
    });
  });

  it.each([
    [
      'successTtl',
      -1,
      'a number of milliseconds >= 0, or null to disable caching',
      'the number -1',
    ],
    [
      'failedTtl',
      Number.NaN,
      'a number of milliseconds >= 0, or null to disable caching',
      'the number NaN',
    ],
    [
      'failedTtl',
      '9s',
      'a number of milliseconds >= 0, or null to disable caching',
      "the string '9s'",
    ],
    [
      'timeout',
      0,
      'a number of milliseconds between 1 and 2147483647',
      'the number 0',
    ],
    [
      'successStatus',
      99,
      'an integer HTTP status between 100 and 599',
      'the number 99',
    ],
    [
      'failedStatus',
      600,
      'an integer HTTP status between 100 and 599',
      'the number 600',
    ],
    [
      'failedStatus',
      503.5,
      'an integer HTTP status between 100 and 599',
      'the number 503.5',
    ],
    [
      'successHandler',
      'json',
      'a function (report) => body',
      "the string 'json'",
    ],
    ['failedHandler', {}, 'a function (report) => body', 'an object {}'],
    [
      'successHeaders',
      { 'X-Count': 1 },
      'an object whose values are strings',
      "an object { 'X-Count': 1 }",
    ],
    ['path', 'health check', EXPECTED.path, "the string 'health check'"],
  ])('rejects %s = %p with a clear message', (option, value, expected, got) => {
    expect(() => resolveModuleOptions({ [option]: value })).toThrow(
      invalidOption(option, expected, got),
    );
  });

  it('rejects invalid environment options, naming the nested option', () => {
    expect(() =>
      resolveModuleOptions({ environment: { includeOs: 'yes' } }),
    ).toThrow(
      invalidOption(
        'environment.includeOs',
        'true or false',
        "the string 'yes'",
      ),
    );
    expect(() =>
      resolveModuleOptions({ environment: { scrub: 'password' } }),
    ).toThrow(/"environment.scrub": expected an array/);
    expect(() => resolveModuleOptions({ environment: 'on' })).toThrow(
      /"environment": expected true, false or an object/,
    );
  });

  it.each(['successHeaders', 'failedHeaders'])(
    'rejects a %s value with CR/LF, naming the option and the header',
    (option) => {
      const value = 'v1\r\nSet-Cookie: a=b';
      expect(() =>
        resolveModuleOptions({ [option]: { 'X-Build': value } }),
      ).toThrow(
        invalidHeaderOption(option, 'X-Build', headerValueInvalid(value)),
      );
    },
  );

  it.each(['Content-Length', 'transfer-encoding', 'Connection', 'Upgrade'])(
    'rejects %s in successHeaders and failedHeaders: it frames the body or the connection',
    (name) => {
      for (const option of ['successHeaders', 'failedHeaders']) {
        expect(() =>
          resolveModuleOptions({ [option]: { [name]: '1' } }),
        ).toThrow(invalidHeaderOption(option, name, headerNotSettable(name)));
      }
    },
  );

  it('rejects a header name that is no HTTP token, naming the option and the header', () => {
    expect(() =>
      resolveModuleOptions({ successHeaders: { 'X Build': 'v1' } }),
    ).toThrow(
      invalidHeaderOption('successHeaders', 'X Build', headerNameInvalid),
    );
  });

  it.each([0, 1.5, '10'])('rejects server.maxConnections = %p', (value) => {
    expect(() =>
      resolveModuleOptions({ server: { port: 0, maxConnections: value } }),
    ).toThrow(
      /"server\.maxConnections": expected an integer number of connections/,
    );
  });

  it('turns the history off with history: false, and refuses history: true', () => {
    expect(resolveModuleOptions({ history: false }).history).toBeNull();
    expect(resolveModuleOptions({ history: { size: 5 } }).history).toEqual({
      size: 5,
    });
    expect(() => resolveModuleOptions({ history: true })).toThrow(
      /"history": expected false or an object \{ size\? \}/,
    );
  });

  it('reads null as off for the features an option switches on, as false is', () => {
    const resolved = resolveModuleOptions({
      environment: null,
      ui: null,
      otel: null,
      server: { port: 0, thread: null },
    } as unknown as HealthcheckModuleOptions);
    expect(resolved.environment).toBeNull();
    expect(resolved.ui).toBeNull();
    expect(resolved.otel).toBeNull();
    expect(resolved.server?.thread).toBeNull();
    expect(
      resolveModuleOptions({ server: { port: 0, thread: true } }).server
        ?.thread,
    ).toEqual({ notReadyAfter: 2_000, notLiveAfter: 30_000 });
  });

  it('reads server.maxConnections', () => {
    expect(
      resolveModuleOptions({ server: { port: 0, maxConnections: 64 } }).server
        ?.maxConnections,
    ).toBe(64);
  });

  it('rejects unknown options, which are usually typos', () => {
    expect(() => resolveModuleOptions({ successTTL: 5 })).toThrow(
      unknownOption('HealthcheckModule', 'successTTL', MODULE_OPTION_KEYS),
    );
  });

  it('makes forRoot() throw at once on invalid options', () => {
    expect(() => HealthcheckModule.forRoot({ successTtl: -5 })).toThrow(
      /"successTtl"/,
    );
  });
});

describe('options of probes and formats', () => {
  it.each([
    ['format', 'xml', "'json' or 'ietf' ('seed' is an alias of 'json')"],
    ['showDetails', 'no', 'true, false or a function (request) => boolean'],
    ['shutdownDelay', -1, 'a number of milliseconds between 0 and 2147483647'],
    ['onStatusChange', 'log', 'a function (change) => void'],
    [
      'guards',
      [42],
      'an array of guard classes or instances (objects with canActivate)',
    ],
  ])('rejects %s = %p', (option, value, expected) => {
    expect(() => resolveModuleOptions({ [option]: value })).toThrow(
      new RegExp(`"${option}": expected ${expected.replace(/[()]/g, '\\$&')}`),
    );
  });
});
