import { jest } from '@jest/globals';
import { drizzle } from 'drizzle-orm/node-postgres';
import knex, { type Knex } from 'knex';
import { MikroORM } from '@mikro-orm/postgresql';
import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import pg from 'pg';
import { Sequelize } from 'sequelize';
import { DataSource } from 'typeorm';
import {
  checkTimedOut,
  dataSourceNotInitialized,
  earlierProbeUnanswered,
  readyCheckMissingOption,
  unknownCheckOption,
} from '../../../lib/healthcheck.messages.js';
import type { HealthCheckOutcome } from '../../../lib/interfaces/check.interface.js';
import type { ModuleRef } from '@nestjs/core';
import { createDependencyResolver } from '../../../lib/ready-checks/dependency.resolver.js';
import type { DependencyResolver } from '../../../lib/ready-checks/health-check.definition.js';
import {
  checkDrizzle,
  checkKnex,
  checkMikroOrm,
  checkMysql2,
  checkPg,
  checkPrisma,
  checkSequelize,
  checkTypeorm,
  isDrizzle,
  isKnex,
  isMikroOrm,
  isMysql2Client,
  isPgClient,
  isPrismaClient,
  isSequelize,
  isTypeormDataSource,
  sqlChecks,
} from '../../../lib/ready-checks/sql/index.js';
import { describeClientError } from '../../../lib/ready-checks/shared/describe-client-error.js';
import { describeTarget } from '../../../lib/ready-checks/shared/describe-target.js';
import {
  pgServerThatHangsOnQueries,
  silentServer,
} from '../../fixtures/ready-checks/sql-fake-servers.js';
import { freePort } from '../../services/service-utils.js';

type Outcome = Exclude<HealthCheckOutcome, boolean | readonly unknown[]>;

/** Hands instances through and refuses anything else, as the module's resolver does for a non-token. */
const asIs: DependencyResolver = (option, dependency, isInstance, expected) => {
  if (!isInstance(dependency)) throw new Error(`${option}: not ${expected}`);
  return dependency;
};

/** A signal aborted after `ms` with the runner's time-out reason; cleared by `done`. */
function timeout(ms: number): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(checkTimedOut(ms), 'TimeoutError')),
    ms,
  );
  return { signal: controller.signal, done: () => clearTimeout(timer) };
}

async function outcomeOf(run: Promise<HealthCheckOutcome>): Promise<Outcome> {
  return (await run) as Outcome;
}

const PASSED = /^SELECT 1 answered in \d+\.\d ms$/;

describe('SQL ready-made checks', () => {
  let closed: number;
  beforeAll(async () => {
    closed = await freePort();
  });

  describe('real clients, nothing listening on the port', () => {
    const refused = (): string => `connect ECONNREFUSED 127.0.0.1:${closed}`;
    const pgOptions = (): pg.PoolConfig => ({
      host: '127.0.0.1',
      port: closed,
      user: 'app',
      password: 'hunter2-secret',
      database: 'shop',
    });

    it('pg Pool: names the server, the database and the refusal', async () => {
      const pool = new pg.Pool(pgOptions());
      try {
        const outcome = await outcomeOf(checkPg(pool));
        expect(outcome).toEqual({
          passed: false,
          output: `SELECT 1 against postgres at 127.0.0.1:${closed}/shop failed: ${refused()}`,
        });
        expect(pool.totalCount).toBe(0);
      } finally {
        await pool.end();
      }
    });

    it('pg Pool from a connection string: no password in the output', async () => {
      const pool = new pg.Pool({
        connectionString: `postgres://app:hunter2-secret@127.0.0.1:${closed}/shop?sslmode=disable`,
      });
      try {
        const outcome = await outcomeOf(checkPg(pool));
        expect(outcome.output).toBe(
          `SELECT 1 against postgres at 127.0.0.1:${closed}/shop failed: ${refused()}`,
        );
      } finally {
        await pool.end();
      }
    });

    it('pg Client', async () => {
      const client = new pg.Client(pgOptions());
      client.on('error', () => undefined);
      await client.connect().catch(() => undefined);
      const outcome = await outcomeOf(checkPg(client));
      expect(outcome.passed).toBe(false);
      expect(outcome.output).toMatch(
        new RegExp(
          `^SELECT 1 against postgres at 127\\.0\\.0\\.1:${closed}/shop failed: .+`,
        ),
      );
      expect(outcome.output).not.toContain('hunter2');
    });

    it.each([
      [
        'callback pool',
        () => {
          const pool = mysql.createPool(mysqlOptions(closed));
          return { pool, end: () => new Promise((done) => pool.end(done)) };
        },
      ],
      [
        'promise pool',
        () => {
          const pool = mysqlPromise.createPool(mysqlOptions(closed));
          return { pool, end: () => pool.end() };
        },
      ],
    ])('mysql2 %s', async (_, create) => {
      const { pool, end } = create();
      try {
        const outcome = await outcomeOf(checkMysql2(pool));
        expect(outcome).toEqual({
          passed: false,
          output: `SELECT 1 against mysql at 127.0.0.1:${closed}/shop failed: ${refused()}`,
        });
      } finally {
        await end();
      }
    });

    it('mysql2 callback connection', async () => {
      const connection = mysql.createConnection(mysqlOptions(closed));
      connection.on('error', () => undefined);
      try {
        const outcome = await outcomeOf(checkMysql2(connection));
        expect(outcome.passed).toBe(false);
        expect(outcome.output).toMatch(
          new RegExp(
            `^SELECT 1 against mysql at 127\\.0\\.0\\.1:${closed}/shop failed: .+`,
          ),
        );
      } finally {
        connection.destroy();
      }
    });

    it('knex (pg), a knex instance being a function', async () => {
      const db = knex({
        client: 'pg',
        connection: pgOptions() as Knex.PgConnectionConfig,
        log: { warn: quiet, error: quiet, debug: quiet, deprecate: quiet },
      });
      try {
        expect(typeof db).toBe('function');
        const outcome = await outcomeOf(checkKnex(db));
        expect(outcome).toEqual({
          passed: false,
          output: `SELECT 1 against postgres at 127.0.0.1:${closed}/shop failed: ${refused()}`,
        });
      } finally {
        await db.destroy();
      }
    });

    it('sequelize (postgres)', async () => {
      const sequelize = new Sequelize({
        dialect: 'postgres',
        dialectModule: pg,
        host: '127.0.0.1',
        port: closed,
        username: 'app',
        password: 'hunter2-secret',
        database: 'shop',
        logging: false,
      });
      try {
        const outcome = await outcomeOf(checkSequelize(sequelize));
        expect(outcome.passed).toBe(false);
        expect(outcome.output).toMatch(
          new RegExp(
            `^SELECT 1 against postgres at 127\\.0\\.0\\.1:${closed}/shop failed: .*ECONNREFUSED`,
          ),
        );
        expect(outcome.output).not.toContain('hunter2');
      } finally {
        await sequelize.close();
      }
    });

    it('typeorm: a DataSource that is not initialized says so', async () => {
      const dataSource = new DataSource({
        type: 'postgres',
        host: '127.0.0.1',
        port: closed,
        username: 'app',
        password: 'hunter2-secret',
        database: 'shop',
      });
      await expect(dataSource.initialize()).rejects.toThrow();
      const outcome = await outcomeOf(checkTypeorm(dataSource));
      expect(outcome).toEqual({
        passed: false,
        output: `SELECT 1 against postgres at 127.0.0.1:${closed}/shop failed: ${dataSourceNotInitialized}`,
      });
    });

    it('drizzle over a pg Pool goes through the pool', async () => {
      const pool = new pg.Pool(pgOptions());
      try {
        const outcome = await outcomeOf(checkDrizzle(drizzle(pool)));
        expect(outcome).toEqual({
          passed: false,
          output: `SELECT 1 against postgres at 127.0.0.1:${closed}/shop failed: ${refused()}`,
        });
      } finally {
        await pool.end();
      }
    });

    it('mikroorm: a round trip, where isConnected() would not tell', async () => {
      const orm = await MikroORM.init({
        host: '127.0.0.1',
        port: closed,
        user: 'app',
        password: 'hunter2-secret',
        dbName: 'shop',
        entities: [],
        discovery: { warnWhenNoEntities: false },
      });
      try {
        for (const client of [orm, orm.em]) {
          const outcome = await outcomeOf(checkMikroOrm(client));
          expect(outcome).toEqual({
            passed: false,
            output: `SELECT 1 against postgres at 127.0.0.1:${closed}/shop failed: ${refused()}`,
          });
        }
      } finally {
        await orm.close(true);
      }
    });
  });

  describe('time-outs', () => {
    it('pg Pool: destroys the checked-out client of an abandoned query, freeing the pool slot', async () => {
      const server = await pgServerThatHangsOnQueries();
      const pool = new pg.Pool({
        host: '127.0.0.1',
        port: server.port,
        user: 'app',
        max: 1,
      });
      pool.on('error', () => undefined);
      const { signal, done } = timeout(150);
      try {
        const outcome = await outcomeOf(checkPg(pool, { signal }));
        expect(outcome).toEqual({
          passed: false,
          output: `SELECT 1 against postgres at 127.0.0.1:${server.port} failed: ${checkTimedOut(150)}`,
        });
        expect(pool.totalCount).toBe(0);
        expect(pool.waitingCount).toBe(0);
        await waitUntil(() => server.open.size === 0);
      } finally {
        done();
        await pool.end();
        await server.close();
      }
    });

    it('pg Pool: a connect the server never answers is given back when it arrives, and the next run waits for it', async () => {
      const server = await silentServer();
      const pool = new pg.Pool({
        host: '127.0.0.1',
        port: server.port,
        max: 2,
      });
      pool.on('error', () => undefined);
      const first = timeout(100);
      const second = timeout(100);
      try {
        expect((await outcomeOf(checkPg(pool, first))).output).toContain(
          checkTimedOut(100),
        );
        const next = await outcomeOf(checkPg(pool, second));
        expect(next.output).toMatch(
          /failed: timed out after 100 ms; the SELECT 1 sent \d+\.\d s earlier on the same client has not been answered yet$/,
        );
        expect(pool.totalCount).toBe(1);
      } finally {
        first.done();
        second.done();
        await server.close();
        await pool.end().catch(() => undefined);
      }
    });

    it('mysql2 pool: fails at the time-out against a server that never greets', async () => {
      const server = await silentServer();
      const pool = mysql.createPool(mysqlOptions(server.port));
      const { signal, done } = timeout(100);
      try {
        const outcome = await outcomeOf(checkMysql2(pool, { signal }));
        expect(outcome.output).toBe(
          `SELECT 1 against mysql at 127.0.0.1:${server.port}/shop failed: ${checkTimedOut(100)}`,
        );
      } finally {
        done();
        await server.close();
        await new Promise((resolve) => pool.end(resolve as never));
      }
    });

    it('a client that takes no signal: one probe in flight, the next waits for it, then runs its own', async () => {
      let answer: (() => void) | undefined;
      const query = jest.fn((text: string): Promise<unknown> =>
        answer
          ? Promise.resolve([{ text }])
          : new Promise((resolve) => {
              answer = () => resolve([{ text }]);
            }),
      );
      const sequelize = fakeSequelize('postgres', query);
      const first = timeout(50);
      expect((await outcomeOf(checkSequelize(sequelize, first))).output).toBe(
        `SELECT 1 against postgres failed: ${checkTimedOut(50)}`,
      );
      const second = timeout(50);
      const waiting = await outcomeOf(checkSequelize(sequelize, second));
      expect(waiting.output).toMatch(
        /^SELECT 1 against postgres failed: timed out after 50 ms; the SELECT 1 sent \d+\.\d s earlier on the same client has not been answered yet$/,
      );
      expect(query).toHaveBeenCalledTimes(1);
      answer?.();
      expect((await outcomeOf(checkSequelize(sequelize))).output).toMatch(
        PASSED,
      );
      expect(query).toHaveBeenCalledTimes(2);
      first.done();
      second.done();
    });
  });

  describe('dialects and fakes', () => {
    it.each([
      ['oracle', 'SELECT 1 FROM DUAL'],
      ['postgres', 'SELECT 1'],
      ['mysql', 'SELECT 1'],
      ['db2', 'SELECT 1 FROM SYSIBM.SYSDUMMY1'],
    ])('sequelize %s runs %s, unlogged', async (dialect, text) => {
      const query = jest.fn<
        (text: string, options: object) => Promise<unknown>
      >(async () => []);
      const outcome = await outcomeOf(
        checkSequelize(fakeSequelize(dialect, query)),
      );
      expect(outcome.output).toMatch(new RegExp(`^${text} answered in`));
      expect(query).toHaveBeenCalledWith(text, {
        raw: true,
        type: 'SELECT',
        logging: false,
      });
    });

    it('typeorm with Oracle runs SELECT 1 FROM DUAL', async () => {
      const query = jest.fn<(text: string) => Promise<unknown>>(async () => []);
      const dataSource = {
        isInitialized: true,
        options: { type: 'oracle' },
        manager: {},
        query,
      };
      expect(isTypeormDataSource(dataSource)).toBe(true);
      const outcome = await outcomeOf(checkTypeorm(dataSource));
      expect(outcome).toMatchObject({ passed: true, observedUnit: 'ms' });
      expect(query).toHaveBeenCalledWith('SELECT 1 FROM DUAL');
    });

    it('knex with oracledb runs SELECT 1 FROM DUAL', async () => {
      const raw = jest.fn<(text: string) => Promise<unknown>>(async () => []);
      const db = Object.assign(() => undefined, {
        raw,
        client: { dialect: 'oracledb', config: { client: 'oracledb' } },
      });
      expect(isKnex(db)).toBe(true);
      expect((await outcomeOf(checkKnex(db))).passed).toBe(true);
      expect(raw).toHaveBeenCalledWith('SELECT 1 FROM DUAL');
    });

    it('prisma (SQL providers; no client can be generated offline): $queryRawUnsafe', async () => {
      const $queryRawUnsafe = jest.fn<(text: string) => Promise<unknown>>(
        async () => [{ '?column?': 1 }],
      );
      const client = {
        $connect: async () => undefined,
        $queryRawUnsafe,
        $runCommandRaw: async () => ({}),
        _activeProvider: 'postgresql',
      };
      expect(isPrismaClient(client)).toBe(true);
      const outcome = await outcomeOf(checkPrisma(client));
      expect(outcome.output).toMatch(PASSED);
      expect($queryRawUnsafe).toHaveBeenCalledWith('SELECT 1');
    });

    it('prisma (MongoDB provider): $runCommandRaw({ ping: 1 })', async () => {
      const $runCommandRaw = jest.fn<(command: object) => Promise<unknown>>(
        async () => ({ ok: 1 }),
      );
      const client = {
        $connect: async () => undefined,
        $queryRawUnsafe: async () => [],
        $runCommandRaw,
        _engineConfig: { activeProvider: 'mongodb' },
      };
      const outcome = await outcomeOf(checkPrisma(client));
      expect(outcome.output).toMatch(/^ping answered in \d+\.\d ms$/);
      expect($runCommandRaw).toHaveBeenCalledWith({ ping: 1 });
    });

    it('prisma: a failure names the provider and masks a connection string', async () => {
      const client = {
        $connect: async () => undefined,
        $queryRawUnsafe: async () => {
          throw new Error(
            "Can't reach database server at postgresql://app:hunter2@db:5432/shop",
          );
        },
        _activeProvider: 'postgresql',
      };
      expect((await outcomeOf(checkPrisma(client))).output).toBe(
        "SELECT 1 against postgres failed: Can't reach database server at postgresql://app:***@db:5432/shop",
      );
    });
  });

  describe('isInstance predicates', () => {
    const predicates = {
      pg: isPgClient,
      mysql2: isMysql2Client,
      knex: isKnex,
      sequelize: isSequelize,
      typeorm: isTypeormDataSource,
      drizzle: isDrizzle,
      mikroorm: isMikroOrm,
      prisma: isPrismaClient,
    };
    const closers: (() => Promise<unknown> | void)[] = [];
    afterAll(async () => {
      for (const close of closers) await close();
    });

    it('each accepts its own clients and refuses the others', async () => {
      const pool = new pg.Pool();
      const client = new pg.Client();
      const mysqlPool = mysql.createPool(mysqlOptions(closed));
      const mysqlPromisePool = mysqlPromise.createPool(mysqlOptions(closed));
      const mysqlConnection = mysql.createConnection(mysqlOptions(closed));
      mysqlConnection.on('error', () => undefined);
      const db = knex({ client: 'pg' });
      const sequelize = new Sequelize('postgres://127.0.0.1:1/x', {
        dialectModule: pg,
        logging: false,
      });
      const dataSource = new DataSource({ type: 'postgres' });
      const orm = await MikroORM.init({
        dbName: 'x',
        entities: [],
        discovery: { warnWhenNoEntities: false },
      });
      closers.push(
        () => pool.end(),
        () => mysqlPool.end(),
        () => mysqlPromisePool.end(),
        () => mysqlConnection.destroy(),
        () => db.destroy(),
        () => sequelize.close(),
        () => orm.close(true),
      );
      const prisma = {
        $connect: async () => undefined,
        $queryRawUnsafe: async () => [],
      };
      const instances: Record<keyof typeof predicates, unknown[]> = {
        pg: [pool, client],
        mysql2: [mysqlPool, mysqlPromisePool, mysqlConnection],
        knex: [db],
        sequelize: [sequelize],
        typeorm: [dataSource],
        drizzle: [drizzle(pool)],
        mikroorm: [orm, orm.em],
        prisma: [prisma],
      };
      for (const [kind, accepts] of Object.entries(predicates)) {
        for (const [owner, values] of Object.entries(instances)) {
          for (const value of values) {
            expect([kind, owner, accepts(value)]).toEqual([
              kind,
              owner,
              kind === owner,
            ]);
          }
        }
        for (const other of [
          undefined,
          null,
          'DB',
          Symbol('DB'),
          {},
          () => 1,
        ]) {
          expect(accepts(other)).toBe(false);
        }
      }
    });
  });

  describe('builders', () => {
    it('every family member is a builder that carries its run function', () => {
      expect(Object.keys(sqlChecks)).toEqual([
        'typeorm',
        'sequelize',
        'mikroorm',
        'prisma',
        'drizzle',
        'knex',
        'pg',
        'mysql2',
      ]);
      expect(sqlChecks.pg.run).toBe(checkPg);
      expect(sqlChecks.mysql2.run).toBe(checkMysql2);
      expect(sqlChecks.typeorm.run).toBe(checkTypeorm);
      expect(sqlChecks.prisma.run).toBe(checkPrisma);
    });

    it('splits the usual options from its own and resolves the client at build', async () => {
      const pool = new pg.Pool({ port: closed, host: '127.0.0.1' });
      try {
        const definition = sqlChecks.pg('db', {
          client: 'PG_POOL',
          timeout: 2_000,
          tags: ['readiness'],
        });
        expect(definition.name).toBe('db');
        expect(definition.source).toBe("checks.pg('db')");
        expect(definition.options).toEqual({
          timeout: 2_000,
          tags: ['readiness'],
        });
        const resolve = jest.fn<
          (
            o: string,
            d: unknown,
            i: (v: unknown) => boolean,
            e: string,
          ) => unknown
        >(() => pool);
        const run = definition.build(resolve as unknown as DependencyResolver);
        expect(resolve).toHaveBeenCalledWith(
          'client',
          'PG_POOL',
          isPgClient,
          'a pg Pool or Client',
        );
        const outcome = (await run({
          signal: new AbortController().signal,
        })) as Outcome;
        expect(outcome.passed).toBe(false);
      } finally {
        await pool.end();
      }
    });

    it('typeorm takes dataSource', () => {
      const dataSource = new DataSource({ type: 'postgres' });
      const run = sqlChecks.typeorm('orm', { dataSource }).build(asIs);
      expect(typeof run).toBe('function');
    });

    it.each(Object.keys(sqlChecks) as (keyof typeof sqlChecks)[])(
      '%s: refuses a missing client and an unknown option at build',
      (kind) => {
        const option = kind === 'typeorm' ? 'dataSource' : 'client';
        const build = sqlChecks[kind] as (
          name: string,
          options: object,
        ) => { build: (resolve: DependencyResolver) => unknown };
        expect(() => build('db', {}).build(asIs)).toThrow(
          readyCheckMissingOption(kind, option, '').split(':')[0]!,
        );
        expect(() =>
          build('db', { [option]: 'TOKEN', timout: 5 }).build(asIs),
        ).toThrow(
          unknownCheckOption(`checks.${kind}('db')`, 'timout', [option]),
        );
      },
    );

    it("with the module's resolver: a knex instance (a function) is used as it is, a token is looked up", async () => {
      const db = knex({
        client: 'pg',
        connection: { host: '127.0.0.1', port: closed },
        log: { warn: quiet, error: quiet, debug: quiet, deprecate: quiet },
      });
      const get = jest.fn(() => db);
      const moduleRef = { get } as unknown as ModuleRef;
      try {
        const direct = sqlChecks.knex('db', { client: db });
        const run = direct.build(
          createDependencyResolver(moduleRef, direct.source),
        );
        expect(get).not.toHaveBeenCalled();
        const byToken = sqlChecks.knex('db', { client: 'KNEX' });
        const viaToken = byToken.build(
          createDependencyResolver(moduleRef, byToken.source),
        );
        expect(get).toHaveBeenCalledWith('KNEX', { strict: false });
        for (const check of [run, viaToken]) {
          const outcome = (await check({
            signal: new AbortController().signal,
          })) as Outcome;
          expect(outcome.output).toContain('ECONNREFUSED');
        }
      } finally {
        await db.destroy();
      }
    });

    it('a token that resolves to another kind of client is refused', () => {
      expect(() =>
        sqlChecks.pg('db', { client: { query() {} } }).build(asIs),
      ).toThrow('client: not a pg Pool or Client');
    });
  });

  it('words client errors for a person on call, without secrets', () => {
    expect(
      describeClientError(
        new AggregateError(
          [
            new Error('connect ECONNREFUSED ::1:5432'),
            new Error('connect ECONNREFUSED 127.0.0.1:5432'),
          ],
          '',
        ),
      ),
    ).toBe(
      'connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432',
    );
    expect(
      describeClientError(Object.assign(new Error(''), { code: 'ECONNRESET' })),
    ).toBe('ECONNRESET');
    expect(
      describeClientError(
        new Error('login failed: Server=db;User Id=app;Password=hunter2;'),
      ),
    ).toBe('login failed: Server=db;User Id=app;Password=***;');
    expect(
      describeTarget('postgres', {
        url: 'postgres://app:hunter2@db.internal:6432/shop?password=hunter2',
      }),
    ).toBe('postgres at db.internal:6432/shop');
    expect(describeTarget('sqlite', { database: './data.db' })).toBe(
      'sqlite at ./data.db',
    );
    expect(describeTarget('postgres', { url: 'not a url' })).toBe('postgres');
  });

  it('the earlier-probe message reads as a sentence', () => {
    expect(
      earlierProbeUnanswered('SELECT 1', 'timed out after 50 ms', 1234),
    ).toBe(
      'timed out after 50 ms; the SELECT 1 sent 1.2 s earlier on the same client has not been answered yet',
    );
  });
});

function quiet(): void {}

function mysqlOptions(port: number): mysql.PoolOptions {
  return {
    host: '127.0.0.1',
    port,
    user: 'app',
    password: 'hunter2-secret',
    database: 'shop',
  };
}

function fakeSequelize(
  dialect: string,
  query: (text: string, options: object) => Promise<unknown>,
) {
  const sequelize = {
    query,
    getDialect: () => dialect,
    authenticate: async () => undefined,
  };
  expect(isSequelize(sequelize)).toBe(true);
  return sequelize;
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(condition()).toBe(true);
}
