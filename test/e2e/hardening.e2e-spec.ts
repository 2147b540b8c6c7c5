import { jest } from '@jest/globals';
import { Controller, Get, Injectable, Module, type Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { hostname } from 'node:os';
import request from 'supertest';
import { SCRUBBED_VALUE } from '../../lib/healthcheck.constants.js';
import {
  handlerFailedPublic,
  methodNotAllowed,
  moduleImportedTwice,
  noHealthRoute,
  outputTruncated,
  swaggerDocsFailed,
} from '../../lib/healthcheck.messages.js';
import {
  HealthCheckRunner,
  HealthcheckModule,
  type HealthcheckModuleOptions,
  HealthHistory,
  type HealthcheckOptionsFactory,
} from '../../lib/index.js';
import { applySwaggerDocs } from '../../lib/swagger/swagger-loader.js';
import {
  AppWithOwnHealthcheckModule,
  appImporting,
  BoundInConstructor,
  CountedCheck,
  HealthcheckModule as OwnHealthcheckModule,
  LargeOutputs,
  ONE_MEGABYTE,
  ShadowedByValue,
  SpiedLater,
} from '../fixtures/hardening.fixture.js';
import {
  FailingChecks,
  PassingChecks,
} from '../fixtures/seed-checks.fixture.js';
import { createApp, healthcheckApps, PLATFORMS } from './platforms.js';

/**
 * A stand-in for @nestjs/swagger, which the module loads lazily: every decorator does nothing, and ApiTags
 * throws while `failDocs` is set. No test of this file reads the API document.
 */
let failDocs = false;
const noDecorator = () => () => undefined;
jest.unstable_mockModule('@nestjs/swagger', () => ({
  ApiExcludeController: noDecorator,
  ApiExcludeEndpoint: noDecorator,
  ApiTags: () => {
    if (failDocs) throw new Error('tags broke');
    return () => undefined;
  },
  ApiOperation: noDecorator,
  ApiResponse: noDecorator,
  ApiProduces: noDecorator,
  ApiQuery: noDecorator,
  ApiParam: noDecorator,
}));

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A passing result as a check gives it at `at` ms, cached for the default successTtl. */
const resultAt = (checker: string, output: unknown, at: number) => ({
  checker,
  output,
  passed: true,
  timestamp: at / 1000,
  expires: at / 1000 + 27,
  response_time: expect.any(Number),
});

const byName = (
  body: { results: Array<{ checker: string }> },
  name: string,
): Record<string, unknown> =>
  body.results.find((result) => result.checker === name) as Record<
    string,
    unknown
  >;

afterEach(() => {
  failDocs = false;
  jest.restoreAllMocks();
});

describe.each(PLATFORMS)('hardening over HTTP (%s)', (platform) => {
  const apps = healthcheckApps(platform);
  const boot = (
    options: HealthcheckModuleOptions = {},
    providers: Type<unknown>[] = [],
  ) => apps.boot(options, { providers });

  describe('history: false', () => {
    it('answers 404 on the history route and records nothing', async () => {
      const agent = await boot({ history: false }, [FailingChecks]);
      expect((await agent.get('/healthcheck')).status).toBe(500);
      const response = await agent.get('/healthcheck/history');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        status: 'failure',
        error: noHealthRoute('/healthcheck/history'),
      });
      expect(
        apps.app.get(HealthHistory).entries({ showDetails: true }),
      ).toEqual([]);
    });

    it('keeps the history on by default', async () => {
      const agent = await boot({}, [FailingChecks]);
      expect((await agent.get('/healthcheck')).status).toBe(500);
      expect((await agent.get('/healthcheck/history')).status).toBe(200);
      expect(
        apps.app.get(HealthHistory).entries({ showDetails: true }).length,
      ).toBeGreaterThan(0);
    });
  });

  describe('discovery reads metadata from the prototype and calls the method late-bound', () => {
    it('registers and runs a check whose method is bound in the constructor', async () => {
      jest.spyOn(Date, 'now').mockReturnValue(T0);
      const agent = await boot({}, [BoundInConstructor]);
      const response = await agent.get('/healthcheck');
      expect(response.status).toBe(200);
      expect(response.body.results).toEqual([
        resultAt('bound', 'bound ok', T0),
      ]);
    });

    it('boots, and runs the decorated method, when an instance property shadows it with a non-function', async () => {
      jest.spyOn(Date, 'now').mockReturnValue(T0);
      const agent = await boot({}, [ShadowedByValue]);
      expect(
        (apps.app.get(ShadowedByValue) as unknown as { ping: unknown }).ping,
      ).toBe(42);
      const response = await agent.get('/healthcheck');
      expect(response.status).toBe(200);
      expect(response.body.results).toEqual([
        resultAt('shadowed', 'decorated method ran', T0),
      ]);
    });

    it('takes a jest.spyOn applied after bootstrap', async () => {
      const agent = await boot({}, [SpiedLater]);
      const instance = apps.app.get(SpiedLater);
      const spy = jest
        .spyOn(instance, 'ping')
        .mockReturnValue([false, 'spied']);
      const response = await agent.get('/healthcheck');
      expect(response.status).toBe(500);
      expect(byName(response.body, 'spied')).toMatchObject({
        passed: false,
        output: 'spied',
      });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.contexts[0]).toBe(instance);
    });
  });

  describe('a response handler that throws', () => {
    it.each([
      ['successHandler', PassingChecks],
      ['failedHandler', FailingChecks],
    ] as const)(
      'answers failedStatus with exactly { status, error }, without the thrown text, when the %s throws',
      async (handler, checks) => {
        const agent = await boot(
          {
            failedStatus: 503,
            [handler]: () => {
              throw new Error('boom at postgres://app:pw-7c1@db/shop');
            },
          },
          [checks],
        );
        const response = await agent.get('/healthcheck');
        expect(response.status).toBe(503);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        // The error's own text goes to the logs (scrubbed), never to the caller.
        expect(response.body).toEqual({
          status: 'failure',
          error: handlerFailedPublic(handler),
        });
      },
    );
  });

  describe('the same forRoot() object imported by two modules', () => {
    it('boots one module with one set of routes', async () => {
      const health = HealthcheckModule.forRoot();
      const app = await createApp(appImporting(health, health), platform);
      try {
        const modules = [...app.get(ModulesContainer).values()].filter(
          (module) => module.metatype?.name === 'HealthcheckModule',
        );
        expect(modules).toHaveLength(1);
        const response = await request(app.getHttpServer()).get('/healthcheck');
        expect(response.status).toBe(200);
        expect(response.body.results).toHaveLength(1);
        expect(app.get(CountedCheck).runs).toBe(1);
      } finally {
        await app.close();
      }
    });
  });

  describe('output cap', () => {
    it('truncates a 1 MB output to 4096 bytes with a marker, keeping the body valid JSON', async () => {
      const agent = await boot({}, [LargeOutputs]);
      const response = await agent.get('/healthcheck');
      expect(response.status).toBe(500);
      expect(() => JSON.parse(response.text)).not.toThrow();
      expect(Buffer.byteLength(response.text)).toBeLessThan(6 * 1024);

      const huge = byName(response.body, 'huge');
      expect(Buffer.byteLength(JSON.stringify(huge))).toBeLessThan(5 * 1024);
      expect(
        Buffer.byteLength(JSON.stringify(huge.output)),
      ).toBeLessThanOrEqual(4_096);
      expect(
        (huge.output as string).endsWith(
          outputTruncated(ONE_MEGABYTE + 2, 4_096),
        ),
      ).toBe(true);
      expect(byName(response.body, 'small').output).toBe('fits');
    });

    it('applies a check’s own maxOutputBytes', async () => {
      const agent = await boot({}, [LargeOutputs]);
      const capped = byName(
        (await agent.get('/healthcheck')).body,
        'capped_at_256',
      );
      expect(capped.passed).toBe(false);
      expect(
        Buffer.byteLength(JSON.stringify(capped.output)),
      ).toBeLessThanOrEqual(256);
      expect(
        (capped.output as string).endsWith(outputTruncated(10_002, 256)),
      ).toBe(true);
    });

    it('applies the module’s maxOutputBytes, with a check’s own taking precedence', async () => {
      const agent = await boot({ maxOutputBytes: 1_000 }, [LargeOutputs]);
      const { body } = await agent.get('/healthcheck');
      const huge = byName(body, 'huge');
      expect(
        Buffer.byteLength(JSON.stringify(huge.output)),
      ).toBeLessThanOrEqual(1_000);
      expect(Buffer.byteLength(JSON.stringify(huge.output))).toBeGreaterThan(
        900,
      );
      expect(
        (huge.output as string).endsWith(
          outputTruncated(ONE_MEGABYTE + 2, 1_000),
        ),
      ).toBe(true);
      expect(
        (byName(body, 'capped_at_256').output as string).endsWith(
          outputTruncated(10_002, 256),
        ),
      ).toBe(true);
    });
  });

  describe('timestamp of the answer', () => {
    it('is the time of each request, while the cached results stay identical', async () => {
      const now = jest.spyOn(Date, 'now').mockReturnValue(T0);
      const agent = await boot({}, [CountedCheck]);
      const first = await agent.get('/healthcheck');
      now.mockReturnValue(T0 + 5_000);
      const second = await agent.get('/healthcheck');

      expect(first.body.timestamp).toBe(T0 / 1000);
      expect(second.body.timestamp).toBe((T0 + 5_000) / 1000);
      expect(second.body.results).toEqual(first.body.results);
      expect(first.body.results).toEqual([resultAt('counted', 'counted', T0)]);
      expect(apps.app.get(CountedCheck).runs).toBe(1);
    });

    it('follows the clock with no checks at all', async () => {
      const now = jest.spyOn(Date, 'now').mockReturnValue(T0);
      const agent = await boot();
      const first = await agent.get('/healthcheck');
      now.mockReturnValue(T0 + 1_234);
      const second = await agent.get('/healthcheck');
      expect(first.body).toEqual({
        hostname: hostname(),
        status: 'success',
        timestamp: T0 / 1000,
        results: [],
      });
      expect(second.body).toEqual({ ...first.body, timestamp: 1767225601.234 });
    });
  });

  describe('conditional requests', () => {
    const TAGS = ['*', 'W/"made-up"', '"abc"'];

    it.each(['/healthcheck', '/healthcheck/live'])(
      'GET %s carries no ETag and answers 200 with the full body to If-None-Match',
      async (path) => {
        jest.spyOn(Date, 'now').mockReturnValue(T0);
        const agent = await boot({}, [PassingChecks]);
        const first = await agent.get(path);
        expect(first.status).toBe(200);
        expect(first.headers.etag).toBeUndefined();
        expect(first.body.status).toBe('success');
        for (const tag of TAGS) {
          const conditional = await agent.get(path).set('If-None-Match', tag);
          expect(conditional.status).toBe(200);
          expect(conditional.headers.etag).toBeUndefined();
          expect(conditional.text).toBe(first.text);
        }
      },
    );

    it('GET on the environment route carries no ETag and answers 200 with the full body to If-None-Match', async () => {
      const agent = await boot({ environment: true });
      const first = await agent.get('/environment');
      expect(first.status).toBe(200);
      expect(first.headers.etag).toBeUndefined();
      for (const tag of TAGS) {
        const conditional = await agent
          .get('/environment')
          .set('If-None-Match', tag);
        expect(conditional.status).toBe(200);
        expect(conditional.headers.etag).toBeUndefined();
        expect(Object.keys(conditional.body)).toEqual([
          'os',
          'node',
          'process',
          'config',
        ]);
      }
    });
  });

  describe('report sections', () => {
    it('are scrubbed like the environment dump', async () => {
      const agent = await boot({}, [PassingChecks]);
      apps.app.get(HealthCheckRunner).addSection('application', {
        api_key: 'abc',
        db: 'postgres://app:p@ss@db/x',
      });
      const response = await agent.get('/healthcheck');
      expect(response.body.application).toEqual({
        api_key: SCRUBBED_VALUE,
        db: `postgres://app:${SCRUBBED_VALUE}@db/x`,
      });
      expect(response.text).not.toContain('p@ss');
      expect(response.text).not.toContain('"abc"');
    });
  });

  describe('methods other than GET and HEAD', () => {
    it.each([
      '/healthcheck',
      '/healthcheck/ready',
      '/healthcheck/group/x',
      '/healthcheck/history',
      '/environment',
    ])('answer 405 JSON with Allow: GET, HEAD on %s', async (path) => {
      const agent = await boot({ environment: true });
      for (const method of ['post', 'put', 'patch', 'delete'] as const) {
        const response = await agent[method](path);
        expect(response.status).toBe(405);
        expect(response.headers.allow).toBe('GET, HEAD');
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.body).toEqual({
          status: 'failure',
          error: methodNotAllowed(method.toUpperCase()),
        });
      }
    });

    it('HEAD on the report answers 200 with no body', async () => {
      const agent = await boot({}, [PassingChecks]);
      const response = await agent.head('/healthcheck');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.text ?? '').toBe('');
      expect(response.body).toEqual({});
    });
  });

  describe('format', () => {
    it.each([
      ['the default', {}],
      ["'json'", { format: 'json' }],
      ["'seed' (an alias of 'json')", { format: 'seed' }],
    ] as Array<[string, HealthcheckModuleOptions]>)(
      '%s gives the JSON report',
      async (_label, options) => {
        jest.spyOn(Date, 'now').mockReturnValue(T0);
        const agent = await boot(options, [PassingChecks]);
        const response = await agent.get('/healthcheck');
        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toBe(
          'application/json; charset=utf-8',
        );
        expect(response.body).toEqual({
          hostname: hostname(),
          status: 'success',
          timestamp: T0 / 1000,
          results: [resultAt('database', 'database ok', T0)],
        });
      },
    );
  });

  describe('forRootAsync', () => {
    it('takes its options from a factory class that an imported module provides (useExisting)', async () => {
      let instances = 0;
      @Injectable()
      class HealthOptions implements HealthcheckOptionsFactory {
        constructor() {
          instances++;
        }
        createHealthcheckOptions(): HealthcheckModuleOptions {
          return {
            failedStatus: 418,
            failedHeaders: { 'X-Options': 'shared' },
          };
        }
      }
      @Module({ providers: [HealthOptions], exports: [HealthOptions] })
      class OptionsModule {}
      @Module({
        imports: [
          OptionsModule,
          HealthcheckModule.forRootAsync({
            imports: [OptionsModule],
            useExisting: HealthOptions,
          }),
        ],
        providers: [FailingChecks],
      })
      class AppModule {}
      const app = await createApp(AppModule, platform);
      try {
        const response = await request(app.getHttpServer()).get('/healthcheck');
        expect(response.status).toBe(418);
        expect(response.headers['x-options']).toBe('shared');
        expect(instances).toBe(1);
      } finally {
        await app.close();
      }
    });
  });
});

describe('HealthcheckModule imported twice', () => {
  it.each(PLATFORMS)(
    'boots an application module of its own called HealthcheckModule that wraps forRoot() (%s)',
    async (platform) => {
      const app = await createApp(AppWithOwnHealthcheckModule, platform);
      try {
        const response = await request(app.getHttpServer()).get('/healthcheck');
        expect(response.status).toBe(200);
        expect(OwnHealthcheckModule.name).toBe('HealthcheckModule');
      } finally {
        await app.close();
      }
    },
  );

  it('stops bootstrap when two modules each import their own forRoot()', async () => {
    const bootstrap = async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          appImporting(
            HealthcheckModule.forRoot(),
            HealthcheckModule.forRoot(),
          ),
        ],
      }).compile();
      moduleRef.useLogger(false);
      try {
        await moduleRef.init();
      } finally {
        await moduleRef.close().catch(() => undefined);
      }
    };
    await expect(bootstrap()).rejects.toThrow(
      moduleImportedTwice('FeatureA', 'FeatureB'),
    );
  });

  it.each(PLATFORMS)(
    'refuses two forRoot() imports with the names of both importers, before any route exists (%s)',
    async (platform) => {
      await expect(
        createApp(
          appImporting(
            HealthcheckModule.forRoot(),
            HealthcheckModule.forRoot(),
          ),
          platform,
        ),
      ).rejects.toThrow(moduleImportedTwice('FeatureA', 'FeatureB'));
    },
  );
});

describe('API docs through @nestjs/swagger', () => {
  @Controller('docs-target')
  class DocsTarget {
    @Get()
    report(): void {}
  }
  const docsOptions = {
    successStatus: 200,
    failedStatus: 500,
    format: 'json' as const,
  };

  it('applySwaggerDocs rejects when documenting fails', async () => {
    const failing = {
      ApiExcludeController: noDecorator,
      ApiExcludeEndpoint: noDecorator,
      ApiTags: () => {
        throw new Error('tags broke');
      },
    };
    await expect(
      applySwaggerDocs({ health: DocsTarget }, true, docsOptions, () =>
        Promise.resolve(failing),
      ),
    ).rejects.toThrow('tags broke');
  });

  it('turns a failure to document the routes into a bootstrap error', async () => {
    failDocs = true;
    const health = HealthcheckModule.forRoot();
    await expect(
      Test.createTestingModule({ imports: [health] }).compile(),
    ).rejects.toThrow(swaggerDocsFailed('tags broke'));
  });

  it('leaves no unhandled rejection behind when the module is never bootstrapped', async () => {
    // Jest fails the running test on an unhandled rejection, so waiting here is the assertion.
    failDocs = true;
    HealthcheckModule.forRoot();
    for (let turn = 0; turn < 3; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  });

  it('boots with swagger: false even when documenting would fail', async () => {
    failDocs = true;
    const moduleRef = await Test.createTestingModule({
      imports: [HealthcheckModule.forRoot({ swagger: false })],
    }).compile();
    await moduleRef.close();
  });
});
