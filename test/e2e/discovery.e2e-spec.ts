import { jest } from '@jest/globals';
import { Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  duplicateCheck,
  duplicateSection,
  invalidCheckOption,
  invalidSectionName,
  nonStaticProvider,
} from '../../lib/healthcheck.messages.js';
import {
  EnvironmentDumpService,
  HealthCheckRunner,
  HealthcheckModule,
} from '../../lib/index.js';
import {
  DependsOnRequestScoped,
  FeatureChecks,
  FeatureModule,
  FirstAppSection,
  FirstPing,
  NegativeTimeoutCheck,
  RequestScopedChecks,
  SecondAppSection,
  SecondPing,
  StatusController,
  TransientChecks,
  UnnamedSection,
} from '../fixtures/discovery.fixture.js';

async function bootstrap(
  metadata: Parameters<typeof Test.createTestingModule>[0],
) {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  moduleRef.useLogger(false);
  return moduleRef.init();
}

describe('discovery of @HealthCheck() and @EnvSection() methods', () => {
  afterEach(() => jest.restoreAllMocks());

  it('finds checks in imported modules and on controllers, with names and options', async () => {
    const app = await bootstrap({
      imports: [HealthcheckModule.forRoot(), FeatureModule],
      controllers: [StatusController],
    });
    const report = await app.get(HealthCheckRunner).run();
    expect(report.results.map((result) => result.checker).sort()).toEqual([
      'controller_check',
      'featureDatabase',
      'feature_cache',
    ]);
    const cache = report.results.find(
      (result) => result.checker === 'feature_cache',
    );
    expect(cache).toMatchObject({ passed: true, output: { ms: 3 } });
    expect(cache!.expires - cache!.timestamp).toBeCloseTo(5, 3);
    await app.close();
  });

  it('calls a discovered check on its own instance, looked up at call time', async () => {
    @Module({})
    class Empty {}
    const app = await bootstrap({
      imports: [HealthcheckModule.forRoot(), Empty],
      providers: [FeatureChecks],
    });
    const instance = app.get(FeatureChecks);
    const spy = jest.spyOn(instance, 'featureDatabase');
    const report = await app.get(HealthCheckRunner).run();
    expect(spy.mock.contexts[0]).toBe(instance);
    expect(report.results[0].output).toBe('feature ok');
    await app.close();
  });

  it('registers an aliased provider (useExisting) once', async () => {
    const app = await bootstrap({
      imports: [HealthcheckModule.forRoot()],
      providers: [FirstPing, { provide: 'PING_ALIAS', useExisting: FirstPing }],
    });
    const report = await app.get(HealthCheckRunner).run();
    expect(report.results.map((result) => result.checker)).toEqual(['ping']);
    await app.close();
  });

  it('skips request-scoped providers and their dependants with a warning naming class and method', async () => {
    const warn = jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation(() => undefined);
    const app = await bootstrap({
      imports: [HealthcheckModule.forRoot({ environment: true })],
      providers: [RequestScopedChecks, DependsOnRequestScoped],
    });
    expect((await app.get(HealthCheckRunner).run()).results).toEqual([]);
    expect(
      Object.keys(await app.get(EnvironmentDumpService).dump()),
    ).not.toContain('per_request');
    expect(warn).toHaveBeenCalledWith(
      nonStaticProvider('RequestScopedChecks', 'perRequest', 'HealthCheck'),
    );
    expect(warn).toHaveBeenCalledWith(
      nonStaticProvider(
        'DependsOnRequestScoped',
        'perRequestSection',
        'EnvSection',
      ),
    );
    await app.close();
  });

  it('skips transient providers with a warning', async () => {
    const warn = jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation(() => undefined);
    const app = await bootstrap({
      imports: [HealthcheckModule.forRoot()],
      providers: [TransientChecks],
    });
    expect((await app.get(HealthCheckRunner).run()).results).toEqual([]);
    expect(warn).toHaveBeenCalledWith(
      nonStaticProvider('TransientChecks', 'perConsumer', 'HealthCheck'),
    );
    await app.close();
  });

  it('stops bootstrap on a section without a name, naming class and method', async () => {
    await expect(
      bootstrap({
        imports: [HealthcheckModule.forRoot({ environment: true })],
        providers: [UnnamedSection],
      }),
    ).rejects.toThrow(
      invalidSectionName('UnnamedSection.nameless', "the string ''"),
    );
  });

  it('stops bootstrap when two checks share a name, naming both places', async () => {
    await expect(
      bootstrap({
        imports: [HealthcheckModule.forRoot()],
        providers: [FirstPing, SecondPing],
      }),
    ).rejects.toThrow(
      duplicateCheck('ping', 'FirstPing.ping', 'SecondPing.ping'),
    );
  });

  it('stops bootstrap when two sections share a name, naming both places', async () => {
    await expect(
      bootstrap({
        imports: [HealthcheckModule.forRoot({ environment: true })],
        providers: [FirstAppSection, SecondAppSection],
      }),
    ).rejects.toThrow(
      duplicateSection(
        'application',
        'FirstAppSection.application',
        'SecondAppSection.describe',
      ),
    );
  });

  it('stops bootstrap on invalid check options, naming class and method', async () => {
    await expect(
      bootstrap({
        imports: [HealthcheckModule.forRoot()],
        providers: [NegativeTimeoutCheck],
      }),
    ).rejects.toThrow(
      invalidCheckOption(
        'NegativeTimeoutCheck.impatient',
        'timeout',
        'a number of milliseconds between 1 and 2147483647',
        'the number -5',
      ),
    );
  });

  it('lets checks added by hand sit beside discovered ones', async () => {
    const app = await bootstrap({
      imports: [HealthcheckModule.forRoot()],
      providers: [FirstPing],
    });
    const runner = app.get(HealthCheckRunner);
    runner.addCheck('manual', () => [true, 'added by hand']);
    const report = await runner.run();
    expect(report.results.map((result) => result.checker)).toEqual([
      'ping',
      'manual',
    ]);
    await app.close();
  });
});
