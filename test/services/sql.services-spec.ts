import { jest } from '@jest/globals';
import { drizzle } from 'drizzle-orm/node-postgres';
import knex, { type Knex } from 'knex';
import { MikroORM } from '@mikro-orm/postgresql';
import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import pg from 'pg';
import { Sequelize } from 'sequelize';
import { DataSource } from 'typeorm';
import { checkTimedOut } from '../../lib/healthcheck.messages.js';
import type { HealthCheckOutcome } from '../../lib/interfaces/check.interface.js';
import { sqlChecks } from '../../lib/ready-checks/sql/index.js';
import { waitFor } from './service-utils.js';
import { startMariadb, startPostgres, type SqlServer } from './sql-servers.js';

// Budgets for a busy machine: a test is bounded by its runs and by the server, not raced against a clock.
jest.setTimeout(300_000);

type Outcome = Exclude<HealthCheckOutcome, boolean | readonly unknown[]>;

/** One client under test: how to run the check on it, and how to close it. */
interface Subject {
  run(signal: AbortSignal): Promise<HealthCheckOutcome>;
  close(): Promise<void>;
  /** For a pg Pool: clients acquired and not released (its 'acquire' and 'release' events). */
  checkedOut?(): number;
}

/** A pg Pool with an 'error' listener, as pg's documentation asks, and a count of the clients out. */
function watchedPool(config: pg.PoolConfig): {
  pool: pg.Pool;
  checkedOut: () => number;
} {
  const pool = new pg.Pool(config);
  pool.on('error', () => undefined);
  let out = 0;
  pool.on('acquire', () => (out += 1));
  pool.on('release', () => (out -= 1));
  return { pool, checkedOut: () => out };
}

/** Runs the check with a signal that aborts after `ms`, as the module's runner does on a time-out. */
async function runFor(subject: Subject, ms = 5_000): Promise<Outcome> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(checkTimedOut(ms), 'TimeoutError')),
    ms,
  );
  try {
    return (await subject.run(controller.signal)) as Outcome;
  } finally {
    clearTimeout(timer);
  }
}

const HANG_MS = 400;
const PASSED = /^SELECT 1 answered in \d+\.\d ms$/;

let postgres: SqlServer;
let mariadb: SqlServer;
let pgAdmin: pg.Client;
let mariadbAdmin: mysqlPromise.Connection;

const pgConfig = (): pg.PoolConfig => ({
  host: '127.0.0.1',
  port: postgres.port,
  user: 'postgres',
  database: 'postgres',
});
const mariadbConfig = (): mysql.PoolOptions => ({
  host: '127.0.0.1',
  port: mariadb.port,
  user: 'root',
  database: 'mysql',
});

/** Client sessions on PostgreSQL, not counting the test's own. */
async function pgSessions(): Promise<number> {
  const { rows } = await pgAdmin.query<{ count: string }>(
    "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
  );
  return Number(rows[0]!.count);
}

/** Client sessions on MariaDB, not counting the test's own. */
async function mariadbSessions(): Promise<number> {
  const [rows] = await mariadbAdmin.query(
    "SELECT COUNT(*) AS count FROM information_schema.PROCESSLIST WHERE COMMAND <> 'Daemon' AND ID <> CONNECTION_ID()",
  );
  return Number((rows as { count: number }[])[0]!.count);
}

beforeAll(async () => {
  [postgres, mariadb] = await Promise.all([startPostgres(), startMariadb()]);
  await connectAdmins();
}, 300_000);

afterAll(async () => {
  await pgAdmin?.end().catch(() => undefined);
  await mariadbAdmin?.end().catch(() => undefined);
  await Promise.all([postgres?.dispose(), mariadb?.dispose()]);
});

/** Opens the test's own sessions, which count the others (again after a restart). */
async function connectAdmins(): Promise<void> {
  await pgAdmin?.end().catch(() => undefined);
  pgAdmin = new pg.Client(pgConfig());
  pgAdmin.on('error', () => undefined);
  await pgAdmin.connect();
  await mariadbAdmin?.end().catch(() => undefined);
  mariadbAdmin = await mysqlPromise.createConnection(mariadbConfig());
  mariadbAdmin.on('error', () => undefined);
}

interface Case {
  name: string;
  server: () => SqlServer;
  target: () => string;
  sessions: () => Promise<number>;
  open: () => Promise<Subject>;
  /** A single connection cannot come back after its server went away; pools reconnect. */
  reconnects: boolean;
}

const cases: Case[] = [
  {
    name: 'pg Pool',
    server: () => postgres,
    target: () => `postgres at 127.0.0.1:${postgres.port}/postgres`,
    sessions: pgSessions,
    reconnects: true,
    open: async () => {
      const { pool, checkedOut } = watchedPool({ ...pgConfig(), max: 2 });
      return {
        run: (signal) => sqlChecks.pg.run(pool, { signal }),
        close: () => pool.end(),
        checkedOut,
      };
    },
  },
  {
    name: 'pg Client',
    server: () => postgres,
    target: () => `postgres at 127.0.0.1:${postgres.port}/postgres`,
    sessions: pgSessions,
    reconnects: false,
    open: async () => {
      const client = new pg.Client(pgConfig());
      client.on('error', () => undefined);
      await client.connect();
      return {
        run: (signal) => sqlChecks.pg.run(client, { signal }),
        close: () => client.end().catch(() => undefined),
      };
    },
  },
  {
    name: 'mysql2 promise pool',
    server: () => mariadb,
    target: () => `mysql at 127.0.0.1:${mariadb.port}/mysql`,
    sessions: mariadbSessions,
    reconnects: true,
    open: async () => {
      const pool = mysqlPromise.createPool({
        ...mariadbConfig(),
        connectionLimit: 2,
      });
      return {
        run: (signal) => sqlChecks.mysql2.run(pool, { signal }),
        close: () => pool.end(),
      };
    },
  },
  {
    name: 'mysql2 callback connection',
    server: () => mariadb,
    target: () => `mysql at 127.0.0.1:${mariadb.port}/mysql`,
    sessions: mariadbSessions,
    reconnects: false,
    open: async () => {
      const connection = mysql.createConnection(mariadbConfig());
      connection.on('error', () => undefined);
      return {
        run: (signal) => sqlChecks.mysql2.run(connection, { signal }),
        close: async () => connection.destroy(),
      };
    },
  },
  {
    name: 'knex (pg)',
    server: () => postgres,
    target: () => `postgres at 127.0.0.1:${postgres.port}/postgres`,
    sessions: pgSessions,
    reconnects: true,
    open: async () => {
      const db = knex({
        client: 'pg',
        connection: pgConfig() as Knex.PgConnectionConfig,
        pool: { min: 0, max: 2 },
        log: { warn: quiet, error: quiet, debug: quiet, deprecate: quiet },
      });
      return {
        run: (signal) => sqlChecks.knex.run(db, { signal }),
        close: () => db.destroy(),
      };
    },
  },
  {
    name: 'typeorm (postgres)',
    server: () => postgres,
    target: () => `postgres at 127.0.0.1:${postgres.port}/postgres`,
    sessions: pgSessions,
    reconnects: true,
    open: async () => {
      const dataSource = new DataSource({
        type: 'postgres',
        host: '127.0.0.1',
        port: postgres.port,
        username: 'postgres',
        database: 'postgres',
        poolSize: 2,
      });
      await dataSource.initialize();
      return {
        run: (signal) => sqlChecks.typeorm.run(dataSource, { signal }),
        close: () => dataSource.destroy(),
      };
    },
  },
  {
    name: 'sequelize (mysql dialect on MariaDB)',
    server: () => mariadb,
    target: () => `mysql at 127.0.0.1:${mariadb.port}/mysql`,
    sessions: mariadbSessions,
    reconnects: true,
    open: async () => {
      const sequelize = new Sequelize({
        dialect: 'mysql',
        dialectModule: mysql,
        host: '127.0.0.1',
        port: mariadb.port,
        username: 'root',
        database: 'mysql',
        logging: false,
        pool: { max: 2 },
      });
      return {
        run: (signal) => sqlChecks.sequelize.run(sequelize, { signal }),
        close: () => sequelize.close(),
      };
    },
  },
  {
    name: 'drizzle (node-postgres)',
    server: () => postgres,
    target: () => `postgres at 127.0.0.1:${postgres.port}/postgres`,
    sessions: pgSessions,
    reconnects: true,
    open: async () => {
      const { pool, checkedOut } = watchedPool({ ...pgConfig(), max: 2 });
      const db = drizzle(pool);
      return {
        run: (signal) => sqlChecks.drizzle.run(db, { signal }),
        close: () => pool.end(),
        checkedOut,
      };
    },
  },
  {
    name: 'mikroorm (postgresql)',
    server: () => postgres,
    target: () => `postgres at 127.0.0.1:${postgres.port}/postgres`,
    sessions: pgSessions,
    reconnects: true,
    open: async () => {
      const orm = await MikroORM.init({
        host: '127.0.0.1',
        port: postgres.port,
        user: 'postgres',
        dbName: 'postgres',
        entities: [],
        discovery: { warnWhenNoEntities: false },
        pool: { max: 2 },
      });
      return {
        run: (signal) => sqlChecks.mikroorm.run(orm, { signal }),
        close: () => orm.close(true),
      };
    },
  },
];

describe('pg Pool on a frozen server', () => {
  it('destroys the checked-out client of an abandoned SELECT 1, so no pool slot stays taken', async () => {
    const pool = new pg.Pool({ ...pgConfig(), max: 1 });
    pool.on('error', () => undefined);
    const subject: Subject = {
      run: (signal) => sqlChecks.pg.run(pool, { signal }),
      close: () => pool.end(),
    };
    try {
      expect((await runFor(subject)).passed).toBe(true);
      expect(pool.totalCount).toBe(1);
      const before = await pgSessions();
      await postgres.pause();
      try {
        const outcome = await runFor(subject, HANG_MS);
        expect(outcome.output).toContain(checkTimedOut(HANG_MS));
        expect(pool.totalCount).toBe(0);
        expect(pool.waitingCount).toBe(0);
      } finally {
        await postgres.resume();
      }
      expect((await runFor(subject)).output).toMatch(PASSED);
      expect(pool.totalCount).toBe(1);
      // The destroyed client's backend has gone; only the new client's remains.
      await waitFor(
        'the abandoned backend to exit',
        async () => (await pgSessions()) === before,
        60_000,
      );
    } finally {
      await subject.close();
    }
  });
});

describe.each(cases)('$name against a real server', (spec) => {
  let subject: Subject;
  beforeAll(async () => {
    subject = await spec.open();
  });
  afterAll(async () => {
    await subject?.close();
  });

  it('passes while the server is up, with the time it took', async () => {
    const outcome = await runFor(subject);
    expect(outcome.output).toMatch(PASSED);
    expect(outcome).toMatchObject({ passed: true, observedUnit: 'ms' });
    expect(typeof outcome.observedValue).toBe('number');
  });

  it('leaves no extra session on the server after 1,000 runs', async () => {
    await runFor(subject);
    const before = await spec.sessions();
    for (let i = 0; i < 1_000; i += 1) {
      const outcome = await runFor(subject);
      if (!outcome.passed) throw new Error(String(outcome.output));
    }
    expect(await spec.sessions()).toBe(before);
  });

  it('fails at the time-out while the server hangs, and passes once it wakes', async () => {
    const server = spec.server();
    const before = await spec.sessions();
    await server.pause();
    let hung: Outcome[];
    try {
      hung = [];
      for (let i = 0; i < 3; i += 1) hung.push(await runFor(subject, HANG_MS));
    } finally {
      await server.resume();
    }
    for (const outcome of hung) {
      expect(outcome.passed).toBe(false);
      expect(outcome.output).toContain(
        `SELECT 1 against ${spec.target()} failed: ${checkTimedOut(HANG_MS)}`,
      );
    }
    const after = await runFor(subject);
    expect(after.output).toMatch(PASSED);
    await waitFor(
      'the sessions of abandoned queries to end',
      async () => (await spec.sessions()) <= before,
      60_000,
    );
  });

  it('fails cleanly when the server stops right after a passing run, without an unhandled error, and passes again once it is back', async () => {
    const server = spec.server();
    expect((await runFor(subject)).output).toMatch(PASSED);
    await server.kill();
    const failed: Outcome[] = [];
    try {
      // At once: the pool hands out a connection whose socket is already dying.
      for (let i = 0; i < 3; i += 1) failed.push(await runFor(subject));
    } finally {
      await server.stop();
      await server.start();
      await connectAdmins();
    }
    for (const outcome of failed) {
      expect(outcome.passed).toBe(false);
      expect(outcome.output).toMatch(
        new RegExp(`^SELECT 1 against ${escape(spec.target())} failed: .+`),
      );
      expect(outcome.output).not.toMatch(/password/i);
    }
    // A pool may first hand out a connection that died with the old server: a few runs, counted, not timed.
    const back: Outcome[] = [];
    for (let i = 0; i < 3 && !back.at(-1)?.passed; i += 1) {
      back.push(await runFor(subject));
    }
    if (spec.reconnects) {
      expect(back.at(-1)?.output).toMatch(PASSED);
    } else {
      expect(back.every((outcome) => !outcome.passed)).toBe(true);
    } // Every client taken out of a pg Pool went back.
    expect(subject.checkedOut?.() ?? 0).toBe(0);
  });
});

function quiet(): void {}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
