import {
  type INestApplication,
  RequestMethod,
  VersioningType,
} from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { HealthcheckModuleOptions } from '../../lib/index.js';
import { PassingChecks } from '../fixtures/seed-checks.fixture.js';
import { healthcheckApps, PLATFORMS } from './platforms.js';

describe.each(PLATFORMS)('routing and API docs (%s)', (platform) => {
  const apps = healthcheckApps(platform);
  const boot = (
    options: HealthcheckModuleOptions = {},
    configure?: (app: INestApplication) => void,
  ) => apps.boot(options, { providers: [PassingChecks], configure });

  it('documents every route for @nestjs/swagger, with response schemas', async () => {
    await boot({ environment: true, failedStatus: 503 });
    const document = SwaggerModule.createDocument(
      apps.app,
      new DocumentBuilder().build(),
    );
    const report = document.paths['/healthcheck'].get!;
    expect(report.summary).toBe('Health report of every check');
    expect(report.tags).toEqual(['health']);
    expect(Object.keys(report.responses).sort()).toEqual(['200', '404', '503']);
    const ok = report.responses['200'] as {
      content: Record<string, { schema: { properties: object } }>;
    };
    expect(
      Object.keys(
        ok.content['application/json; charset=utf-8'].schema.properties,
      ),
    ).toEqual(
      expect.arrayContaining(['hostname', 'status', 'timestamp', 'results']),
    );
    expect(
      report.parameters
        ?.map((parameter) => (parameter as { name: string }).name)
        .sort(),
    ).toEqual(['check', 'exclude']);
    for (const path of [
      '/healthcheck/live',
      '/healthcheck/ready',
      '/healthcheck/startup',
    ]) {
      expect(document.paths[path].get!.summary).toMatch(/probe/);
    }
    expect(document.paths['/healthcheck/group/{tag}'].get!.parameters).toEqual([
      expect.objectContaining({ name: 'tag', in: 'path' }),
    ]);
    expect(document.paths['/environment'].get!.summary).toBe(
      'Environment dump',
    );
  });

  it('leaves its routes out of the API document with swagger: false', async () => {
    await boot({ environment: true, swagger: false });
    const document = SwaggerModule.createDocument(
      apps.app,
      new DocumentBuilder().build(),
    );
    expect(
      Object.keys(document.paths).filter((path) => path.startsWith('/health')),
    ).toEqual([]);
    expect(document.paths['/environment']).toBeUndefined();
  });

  it('follows the global prefix', async () => {
    const agent = await boot({}, (app) => app.setGlobalPrefix('api'));
    expect((await agent.get('/api/healthcheck')).status).toBe(200);
    expect((await agent.get('/api/healthcheck/live')).status).toBe(200);
    expect((await agent.get('/healthcheck')).status).toBe(404);
  });

  it("stays at the root when the global prefix's exclude names its routes", async () => {
    const agent = await boot({}, (app) =>
      app.setGlobalPrefix('api', {
        exclude: [
          { path: 'healthcheck', method: RequestMethod.GET },
          { path: 'healthcheck/*path', method: RequestMethod.GET },
        ],
      }),
    );
    expect((await agent.get('/healthcheck')).status).toBe(200);
    expect((await agent.get('/healthcheck/ready')).status).toBe(200);
    expect((await agent.get('/healthcheck/group/none')).status).toBe(404);
  });

  it('is version-neutral under URI versioning', async () => {
    const agent = await boot({}, (app) =>
      app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' }),
    );
    expect((await agent.get('/healthcheck')).status).toBe(200);
    expect((await agent.get('/healthcheck/live')).status).toBe(200);
  });

  it('is version-neutral under header versioning', async () => {
    const agent = await boot({}, (app) =>
      app.enableVersioning({
        type: VersioningType.HEADER,
        header: 'X-Api-Version',
        defaultVersion: '2',
      }),
    );
    expect((await agent.get('/healthcheck')).status).toBe(200);
    expect(
      (await agent.get('/healthcheck').set('X-Api-Version', '7')).status,
    ).toBe(200);
  });
});
