import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import {
  HealthCheck as TerminusHealthCheck,
  HealthCheckService,
  SequelizeHealthIndicator,
  TerminusModule,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { jest } from '@jest/globals';
import request from 'supertest';
import {
  fromTerminus,
  HealthCheck,
  HealthcheckModule,
} from '../../lib/index.js';
import { createApp } from '../e2e/platforms.js';
import { waitFor } from './service-utils.js';
import { startPostgres, type SqlServer } from './sql-servers.js';

jest.setTimeout(300_000);

/** terminus' TypeORM and Sequelize indicators on the app's default connections, through fromTerminus. */
@Injectable()
class DatabaseChecks {
  constructor(
    private readonly typeorm: TypeOrmHealthIndicator,
    private readonly sequelize: SequelizeHealthIndicator,
  ) {}

  @HealthCheck()
  typeorm_db() {
    return fromTerminus(() =>
      this.typeorm.pingCheck('typeorm', { timeout: 2_000 }),
    );
  }

  @HealthCheck()
  sequelize_db() {
    return fromTerminus(() =>
      this.sequelize.pingCheck('sequelize', { timeout: 2_000 }),
    );
  }
}

/** The same indicators through terminus' own HealthCheckService. */
@Controller('terminus')
class TerminusDatabaseController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly typeorm: TypeOrmHealthIndicator,
    private readonly sequelize: SequelizeHealthIndicator,
  ) {}

  @Get('typeorm_db')
  @TerminusHealthCheck()
  typeormDb() {
    return this.health.check([
      () => this.typeorm.pingCheck('typeorm', { timeout: 2_000 }),
    ]);
  }

  @Get('sequelize_db')
  @TerminusHealthCheck()
  sequelizeDb() {
    return this.health.check([
      () => this.sequelize.pingCheck('sequelize', { timeout: 2_000 }),
    ]);
  }
}

let postgres: SqlServer;
let app: INestApplication;

beforeAll(async () => {
  postgres = await startPostgres();
  const connection = {
    host: '127.0.0.1',
    port: postgres.port,
    username: 'postgres',
    database: 'postgres',
  };
  @Module({
    imports: [
      HealthcheckModule.forRoot({ successTtl: 0, failedTtl: 0 }),
      TerminusModule.forRoot({ logger: false }),
      TypeOrmModule.forRoot({ type: 'postgres', ...connection }),
      SequelizeModule.forRoot({
        dialect: 'postgres',
        ...connection,
        logging: false,
      }),
    ],
    controllers: [TerminusDatabaseController],
    providers: [DatabaseChecks],
  })
  class AppModule {}
  app = await createApp(AppModule, 'express');
}, 300_000);

afterAll(async () => {
  await app?.close();
  await postgres?.dispose();
});

/** Our check and terminus' route for one indicator, read over HTTP. */
async function both(name: string) {
  const agent = request(app.getHttpServer());
  const ours = await agent.get(`/healthcheck?check=${name}`);
  const theirs = await agent.get(`/terminus/${name}`);
  return {
    passed: ours.body.results[0].passed as boolean,
    status: ours.status,
    output: ours.body.results[0].output as Record<string, { status: string }>,
    terminusUp: theirs.status === 200,
    terminusDetails: theirs.body.details as Record<string, { status: string }>,
  };
}

const INDICATORS = [
  ['typeorm_db', 'typeorm'],
  ['sequelize_db', 'sequelize'],
] as const;

describe('terminus database indicators through fromTerminus, against PostgreSQL', () => {
  it.each(INDICATORS)(
    '%s is up on both sides while the server runs',
    async (name, key) => {
      const seen = await both(name);
      expect(seen.terminusUp).toBe(true);
      expect(seen.passed).toBe(true);
      expect(seen.status).toBe(200);
      expect(seen.output[key]!.status).toBe('up');
      expect(seen.terminusDetails[key]!.status).toBe('up');
    },
  );

  it('both are down on both sides once the server is killed, and up again after it restarts', async () => {
    await postgres.kill();
    await postgres.stop();
    try {
      for (const [name, key] of INDICATORS) {
        const seen = await both(name);
        expect(seen.terminusUp).toBe(false);
        expect(seen.passed).toBe(false);
        expect(seen.status).toBe(500);
        expect(seen.output[key]!.status).toBe('down');
        expect(seen.terminusDetails[key]!.status).toBe('down');
      }
    } finally {
      await postgres.start();
    }
    for (const [name] of INDICATORS) {
      await waitFor(
        `${name} to pass again`,
        async () => (await both(name)).passed,
        60_000,
      );
      expect((await both(name)).terminusUp).toBe(true);
    }
  });
});
