import { jest } from '@jest/globals';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import pg from 'pg';
import {
  checkTimedOut,
  mongooseNotOpened,
  readyCheckMissingOption,
} from '../../../lib/healthcheck.messages.js';
import type { HealthCheckOutcome } from '../../../lib/interfaces/check.interface.js';
import type { DependencyResolver } from '../../../lib/ready-checks/health-check.definition.js';
import {
  checkMongodb,
  checkMongoose,
  isMongoClient,
  isMongooseClient,
  mongoChecks,
} from '../../../lib/ready-checks/mongo/index.js';
import {
  checkMikroOrm,
  checkTypeorm,
} from '../../../lib/ready-checks/sql/index.js';
import { silentServer } from '../../fixtures/ready-checks/sql-fake-servers.js';
import { freePort } from '../../services/service-utils.js';

// There is no MongoDB server in Debian: failures and time-outs run against the real drivers, the passing
// path against a minimal stand-in for a MongoClient.

type Outcome = Exclude<HealthCheckOutcome, boolean | readonly unknown[]>;

const asIs: DependencyResolver = (option, dependency, isInstance, expected) => {
  if (!isInstance(dependency)) throw new Error(`${option}: not ${expected}`);
  return dependency;
};

const PASSED = /^ping answered in \d+\.\d ms$/;

/** A stand-in MongoClient whose admin database answers `ping`. */
function answeringClient() {
  const command = jest.fn<
    (command: object, options?: { signal?: AbortSignal }) => Promise<unknown>
  >(async () => ({ ok: 1 }));
  const db = jest.fn<(name: string) => { command: typeof command }>(() => ({
    command,
  }));
  const client = {
    db,
    connect: async () => undefined,
    startSession: () => ({}),
    options: { hosts: ['db-1:27017', 'db-2:27017'] },
  };
  return { client, db, command };
}

describe('MongoDB ready-made checks', () => {
  let closed: number;
  beforeAll(async () => {
    closed = await freePort();
  });

  describe('mongodb (real driver)', () => {
    it('fails with the refusal when nothing listens, naming hosts but no credentials', async () => {
      const client = new MongoClient(
        `mongodb://app:hunter2-secret@127.0.0.1:${closed}/shop`,
        { serverSelectionTimeoutMS: 200 },
      );
      try {
        const outcome = (await checkMongodb(client)) as Outcome;
        expect(outcome.passed).toBe(false);
        expect(outcome.output).toBe(
          `ping against mongodb at 127.0.0.1:${closed} failed: connect ECONNREFUSED 127.0.0.1:${closed}`,
        );
      } finally {
        await client.close();
      }
    });

    it('fails at the time-out against a server that never answers', async () => {
      const server = await silentServer();
      const client = new MongoClient(`mongodb://127.0.0.1:${server.port}`, {
        serverSelectionTimeoutMS: 10_000,
      });
      const controller = new AbortController();
      const timer = setTimeout(
        () =>
          controller.abort(
            new DOMException(checkTimedOut(100), 'TimeoutError'),
          ),
        100,
      );
      try {
        const outcome = (await checkMongodb(client, {
          signal: controller.signal,
        })) as Outcome;
        expect(outcome.output).toBe(
          `ping against mongodb at 127.0.0.1:${server.port} failed: ${checkTimedOut(100)}`,
        );
      } finally {
        clearTimeout(timer);
        await client.close();
        await server.close();
      }
    });

    it('passes with a MongoClient whose admin database answers ping, handing it the signal', async () => {
      const { client, db, command } = answeringClient();
      const signal = new AbortController().signal;
      const outcome = (await checkMongodb(client, { signal })) as Outcome;
      expect(outcome.output).toMatch(PASSED);
      expect(outcome).toMatchObject({ passed: true, observedUnit: 'ms' });
      expect(db).toHaveBeenCalledWith('admin');
      expect(command).toHaveBeenCalledWith({ ping: 1 }, { signal });
    });

    it('names every host of a replica set on failure', async () => {
      const { client, command } = answeringClient();
      command.mockRejectedValueOnce(new Error('not primary'));
      expect(((await checkMongodb(client)) as Outcome).output).toBe(
        'ping against mongodb at db-1:27017,db-2:27017 failed: not primary',
      );
    });
  });

  describe('mongoose (real library)', () => {
    it('a connection that was never opened fails with a sentence, whatever readyState says', async () => {
      const connection = mongoose.createConnection();
      try {
        expect(((await checkMongoose(connection)) as Outcome).output).toBe(
          `ping against mongodb failed: ${mongooseNotOpened}`,
        );
      } finally {
        await connection.close();
      }
    });

    it('a connection whose first connect failed: the closed driver says so', async () => {
      const connection = mongoose.createConnection(
        `mongodb://127.0.0.1:${closed}/shop`,
        { serverSelectionTimeoutMS: 200 },
      );
      try {
        await expect(connection.asPromise()).rejects.toThrow();
        const outcome = (await checkMongoose(connection)) as Outcome;
        expect(outcome.passed).toBe(false);
        expect(outcome.output).toBe(
          `ping against mongodb at 127.0.0.1:${closed}/shop failed: Topology is closed`,
        );
      } finally {
        await connection.close();
      }
    });

    it('the mongoose default export checks its default connection', async () => {
      expect(isMongooseClient(mongoose)).toBe(true);
      expect(((await checkMongoose(mongoose)) as Outcome).output).toBe(
        `ping against mongodb failed: ${mongooseNotOpened}`,
      );
    });

    it('passes when the connection’s client answers ping', async () => {
      const { client, db } = answeringClient();
      const connection = { getClient: () => client, readyState: 0 };
      expect(isMongooseClient(connection)).toBe(true);
      expect(((await checkMongoose(connection)) as Outcome).output).toMatch(
        PASSED,
      );
      expect(db).toHaveBeenCalledWith('admin');
    });
  });

  describe('through ORMs', () => {
    it('typeorm with type mongodb pings its MongoClient', async () => {
      const { client, command } = answeringClient();
      const dataSource = {
        isInitialized: true,
        options: { type: 'mongodb' },
        manager: {},
        driver: { queryRunner: { databaseConnection: client } },
        query: async () => {
          throw new Error('query is not supported by the MongoDB driver');
        },
      };
      expect(((await checkTypeorm(dataSource)) as Outcome).output).toMatch(
        PASSED,
      );
      expect(command).toHaveBeenCalledTimes(1);
    });

    it('mikroorm with the MongoDB driver pings its MongoClient', async () => {
      const { client, command } = answeringClient();
      const connection = {
        execute: async () => [],
        getDb: () => ({}),
        getClient: () => client,
      };
      const em = {
        getConnection: () => connection,
        getDriver: () => ({}),
      };
      expect(((await checkMikroOrm(em)) as Outcome).output).toMatch(PASSED);
      expect(command).toHaveBeenCalledTimes(1);
    });
  });

  describe('isInstance predicates and builders', () => {
    it('tell a MongoClient from a mongoose connection and from other clients', async () => {
      const client = new MongoClient(`mongodb://127.0.0.1:${closed}`);
      const connection = mongoose.createConnection();
      const pool = new pg.Pool();
      try {
        expect(isMongoClient(client)).toBe(true);
        expect(isMongooseClient(client)).toBe(false);
        expect(isMongooseClient(connection)).toBe(true);
        expect(isMongoClient(connection)).toBe(false);
        expect(isMongoClient(mongoose)).toBe(false);
        for (const other of [pool, undefined, null, 'MONGO', {}, () => 1]) {
          expect(isMongoClient(other)).toBe(false);
          expect(isMongooseClient(other)).toBe(false);
        }
      } finally {
        await client.close();
        await connection.close();
        await pool.end();
      }
    });

    it('mongoChecks carries both builders with their run functions', () => {
      expect(Object.keys(mongoChecks)).toEqual(['mongoose', 'mongodb']);
      expect(mongoChecks.mongodb.run).toBe(checkMongodb);
      expect(mongoChecks.mongoose.run).toBe(checkMongoose);
      const { client } = answeringClient();
      const definition = mongoChecks.mongodb('mongo', {
        client,
        timeout: 1_000,
      });
      expect(definition.options).toEqual({ timeout: 1_000 });
      expect(typeof definition.build(asIs)).toBe('function');
      expect(() =>
        mongoChecks.mongoose('mongo', {} as { client: unknown }).build(asIs),
      ).toThrow(
        readyCheckMissingOption(
          'mongoose',
          'client',
          'a mongoose Connection or the mongoose default export',
        ),
      );
    });
  });
});
