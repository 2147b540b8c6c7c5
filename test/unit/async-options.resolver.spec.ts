import { Injectable, type CanActivate } from '@nestjs/common';
import {
  asyncFactoryNotOptions,
  asyncRouteOptionMismatch,
  routeCollision,
} from '../../lib/healthcheck.messages.js';
import {
  HealthcheckModule,
  type HealthcheckModuleAsyncOptions,
  type HealthcheckModuleOptions,
} from '../../lib/index.js';
import {
  resolveAsyncModuleOptions,
  resolveRouteOptions,
} from '../../lib/options/async-options.resolver.js';
import { resolveModuleOptions } from '../../lib/options/module-options.resolver.js';

@Injectable()
class AllowAll implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

const useFactory = () => ({});

/** Resolves what a factory returned against the route options given at the top level of forRootAsync(). */
function resolveAsync(
  topLevel: Omit<HealthcheckModuleAsyncOptions, 'useFactory'>,
  fromFactory: HealthcheckModuleOptions | undefined,
) {
  return resolveAsyncModuleOptions(
    fromFactory,
    resolveRouteOptions({ ...topLevel, useFactory }),
  );
}

describe('route collisions', () => {
  it('refuses a health path that is the environment path', () => {
    expect(() =>
      HealthcheckModule.forRoot({ path: 'environment', environment: true }),
    ).toThrow(routeCollision('path', 'environment.path', 'environment'));
  });

  it.each(['live', 'ready', 'startup', 'history'])(
    'refuses an environment path on the /%s route of the health path',
    (sub) => {
      expect(() =>
        HealthcheckModule.forRoot({
          environment: { path: `/healthcheck/${sub}` },
        }),
      ).toThrow(
        routeCollision(
          `path (its /${sub} route)`,
          'environment.path',
          `healthcheck/${sub}`,
        ),
      );
    },
  );

  it('refuses an environment path among the group routes', () => {
    expect(() =>
      resolveModuleOptions({ environment: { path: 'healthcheck/group/env' } }),
    ).toThrow(
      routeCollision(
        'path (its /group/:tag routes)',
        'environment.path',
        'healthcheck/group/env',
      ),
    );
  });

  it('refuses the dashboard routes as the environment path only when the dashboard is on', () => {
    expect(() =>
      resolveModuleOptions({
        ui: true,
        environment: { path: 'healthcheck/ui' },
      }),
    ).toThrow(routeCollision('ui', 'environment.path', 'healthcheck/ui'));
    expect(
      resolveModuleOptions({ environment: { path: 'healthcheck/ui' } })
        .environment?.path,
    ).toBe('healthcheck/ui');
  });

  it('refuses a collision given at the top level of forRootAsync()', () => {
    expect(() =>
      HealthcheckModule.forRootAsync({
        path: 'environment',
        environment: true,
        useFactory,
      }),
    ).toThrow(routeCollision('path', 'environment.path', 'environment'));
  });

  it('accepts paths that only share a prefix', () => {
    expect(
      resolveModuleOptions({
        path: 'health',
        environment: { path: 'health/environment' },
      }).environment?.path,
    ).toBe('health/environment');
    expect(
      resolveModuleOptions({ environment: { path: 'healthcheck-env' } })
        .environment?.path,
    ).toBe('healthcheck-env');
  });
});

describe('resolveRouteOptions', () => {
  it('resolves the route options of the top level, with defaults', () => {
    expect(resolveRouteOptions({ useFactory })).toEqual({
      path: 'healthcheck',
      environment: null,
      guards: [],
      swagger: true,
      server: null,
      ui: null,
      decorators: [],
    });
    const routes = resolveRouteOptions({
      path: '/health/',
      environment: { path: 'env', guards: [AllowAll] },
      guards: [AllowAll],
      swagger: false,
      ui: { title: 'Ops' },
      useFactory,
    });
    expect(routes).toMatchObject({
      path: 'health',
      environment: { path: 'env', guards: [AllowAll] },
      guards: [AllowAll],
      swagger: false,
      ui: { title: 'Ops' },
    });
  });

  it('validates the top-level route options', () => {
    expect(() => resolveRouteOptions({ path: 'a b', useFactory })).toThrow(
      /"path"/,
    );
  });
});

describe('resolveAsyncModuleOptions', () => {
  it.each([
    [null, 'null'],
    [[], 'an array of length 0 ([])'],
    [5, 'the number 5'],
    ['path', "the string 'path'"],
  ])(
    'refuses a factory that returns %p instead of an options object',
    (fromFactory, described) => {
      expect(() =>
        resolveAsyncModuleOptions(
          fromFactory as never,
          resolveRouteOptions({}),
        ),
      ).toThrow(asyncFactoryNotOptions(described));
    },
  );

  it.each([
    ['guards', { guards: [AllowAll] }],
    ['swagger', { swagger: false }],
    ['server', { server: { port: 0 } }],
    ['ui', { ui: true }],
    ['decorators', { decorators: [() => undefined] }],
  ] as Array<[string, HealthcheckModuleOptions]>)(
    'refuses %s from the factory: only the top level may give it',
    (option, fromFactory) => {
      expect(() => resolveAsync({}, fromFactory)).toThrow(
        asyncRouteOptionMismatch(option),
      );
    },
  );

  it('refuses a path from the factory that differs from the top level', () => {
    expect(() => resolveAsync({ path: 'health' }, { path: 'other' })).toThrow(
      asyncRouteOptionMismatch('path'),
    );
    expect(() => resolveAsync({}, { path: 'health' })).toThrow(
      asyncRouteOptionMismatch('path'),
    );
  });

  it('accepts the top-level path repeated by the factory, in any spelling', () => {
    expect(
      resolveAsync({ path: 'health' }, { path: '/health/', failedStatus: 503 }),
    ).toMatchObject({ path: 'health', failedStatus: 503 });
    expect(resolveAsync({}, { path: 'healthcheck' }).path).toBe('healthcheck');
  });

  it.each([
    ['true', true],
    ['an object', { includeOs: false }],
  ] as const)(
    'refuses the environment enabled by the factory (%s) when the top level did not enable it',
    (_label, environment) => {
      expect(() => resolveAsync({}, { environment })).toThrow(
        asyncRouteOptionMismatch('environment'),
      );
    },
  );

  it('refuses the factory switching off an environment route the top level enabled', () => {
    expect(() =>
      resolveAsync({ environment: true }, { environment: false }),
    ).toThrow(asyncRouteOptionMismatch('environment'));
  });

  it('accepts environment: false from the factory when the top level has no environment route', () => {
    expect(resolveAsync({}, { environment: false }).environment).toBeNull();
  });

  it('refuses another environment.path from the factory', () => {
    expect(() =>
      resolveAsync(
        { environment: { path: 'env' } },
        { environment: { path: 'other' } },
      ),
    ).toThrow(asyncRouteOptionMismatch('environment.path'));
    expect(() =>
      resolveAsync({ environment: true }, { environment: { path: 'env' } }),
    ).toThrow(asyncRouteOptionMismatch('environment.path'));
  });

  it('refuses environment.guards from the factory', () => {
    expect(() =>
      resolveAsync(
        { environment: true },
        { environment: { guards: [AllowAll] } },
      ),
    ).toThrow(asyncRouteOptionMismatch('environment.guards'));
  });

  it('adds environment settings from the factory to the top-level route, keeping its path and guards', () => {
    const resolved = resolveAsync(
      { environment: { path: '/env', guards: [AllowAll] } },
      {
        environment: {
          path: 'env/',
          includeOs: false,
          scrub: ['internal'],
          showValues: 'never',
        },
      },
    );
    expect(resolved.environment).toEqual({
      path: 'env',
      guards: [AllowAll],
      includeOs: false,
      includeNode: true,
      includeProcess: true,
      includeConfig: true,
      config: undefined,
      scrub: ['internal'],
      showValues: 'never',
    });
  });

  it('keeps the top-level environment route when the factory says nothing of it, or true', () => {
    const topLevel = { environment: { path: 'env', guards: [AllowAll] } };
    for (const fromFactory of [{}, { environment: true }, undefined]) {
      expect(resolveAsync(topLevel, fromFactory).environment).toMatchObject({
        path: 'env',
        guards: [AllowAll],
        includeOs: true,
      });
    }
  });

  it('takes the route options from the top level and everything else from the factory', () => {
    const resolved = resolveAsync(
      { path: 'health', guards: [AllowAll], swagger: false, ui: true },
      { successTtl: 1_000, format: 'ietf', maxOutputBytes: 512 },
    );
    expect(resolved).toMatchObject({
      path: 'health',
      guards: [AllowAll],
      swagger: false,
      ui: { title: 'Health' },
      server: null,
      decorators: [],
      format: 'ietf',
      maxOutputBytes: 512,
      timing: { timeout: 10_000, successTtl: 1_000, failedTtl: 9_000 },
    });
  });

  it('validates what the factory returned', () => {
    expect(() => resolveAsync({}, { failedTtl: -1 })).toThrow(/"failedTtl"/);
  });

  it.each([
    [{ environment: true }],
    [{ environment: { includeOs: false } }],
    [{}],
  ] as Array<[HealthcheckModuleOptions]>)(
    'accepts %p when the top-level environment route does not collide, though the default path would',
    (fromFactory) => {
      expect(
        resolveAsync(
          { path: 'environment', environment: { path: 'env' } },
          fromFactory,
        ).environment?.path,
      ).toBe('env');
    },
  );
});
