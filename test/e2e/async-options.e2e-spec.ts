import { type INestApplication, Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { asyncRouteOptionMismatch } from '../../lib/healthcheck.messages.js';
import {
  HealthcheckModule,
  type HealthcheckModuleOptions,
  type HealthcheckOptionsFactory,
} from '../../lib/index.js';
import { FailingChecks } from '../fixtures/seed-checks.fixture.js';
import { createApp, PLATFORMS } from './platforms.js';

const configuration = () => ({
  health: { failedStatus: 503, header: 'from-config' },
});

describe.each(PLATFORMS)('HealthcheckModule.forRootAsync (%s)', (platform) => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('takes its options from a factory with injected dependencies', async () => {
    @Module({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [configuration] }),
        HealthcheckModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          path: 'health',
          environment: { path: 'env' },
          useFactory: (config: ConfigService) => ({
            failedStatus: config.get<number>('health.failedStatus'),
            failedHeaders: { 'X-Source': config.get<string>('health.header')! },
            environment: { includeProcess: false },
          }),
        }),
      ],
      providers: [FailingChecks],
    })
    class AppModule {}
    app = await createApp(AppModule, platform);
    const agent = request(app.getHttpServer());

    const health = await agent.get('/health');
    expect(health.status).toBe(503);
    expect(health.headers['x-source']).toBe('from-config');
    const environment = await agent.get('/env');
    expect(environment.status).toBe(200);
    expect(environment.body.process).toBeUndefined();
    expect(environment.body.os).toBeDefined();
  });

  it('takes its options from a class (useClass)', async () => {
    @Injectable()
    class HealthOptions implements HealthcheckOptionsFactory {
      createHealthcheckOptions(): HealthcheckModuleOptions {
        return { failedStatus: 418 };
      }
    }
    @Module({
      imports: [HealthcheckModule.forRootAsync({ useClass: HealthOptions })],
      providers: [FailingChecks],
    })
    class AppModule {}
    app = await createApp(AppModule, platform);
    expect(
      (await request(app.getHttpServer()).get('/healthcheck')).status,
    ).toBe(418);
  });
});

describe('HealthcheckModule.forRootAsync route options', () => {
  async function compile(
    useFactory: () => HealthcheckModuleOptions,
    topLevel = {},
  ) {
    const moduleRef = await Test.createTestingModule({
      imports: [HealthcheckModule.forRootAsync({ ...topLevel, useFactory })],
    }).compile();
    await moduleRef.close();
  }

  it('refuses a path returned by the factory that differs from the top level', async () => {
    await expect(compile(() => ({ path: 'other' }))).rejects.toThrow(
      asyncRouteOptionMismatch('path'),
    );
  });

  it('refuses environment options from the factory when the top level did not enable the route', async () => {
    await expect(compile(() => ({ environment: true }))).rejects.toThrow(
      asyncRouteOptionMismatch('environment'),
    );
  });

  it('accepts a factory that repeats the top-level route options', async () => {
    await expect(
      compile(() => ({ path: '/health', environment: { path: 'env' } }), {
        path: 'health',
        environment: { path: '/env' },
      }),
    ).resolves.toBeUndefined();
  });

  it('rejects invalid options returned by the factory', async () => {
    await expect(compile(() => ({ failedTtl: -1 }))).rejects.toThrow(
      /"failedTtl"/,
    );
  });

  it('needs useFactory, useClass or useExisting', () => {
    expect(() => HealthcheckModule.forRootAsync({})).toThrow(
      /useFactory, useClass or useExisting/,
    );
  });
});
