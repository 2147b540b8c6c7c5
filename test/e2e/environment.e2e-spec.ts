import { ConfigModule } from '@nestjs/config';
import { SCRUBBED_VALUE } from '../../lib/healthcheck.constants.js';
import type { HealthcheckModuleOptions } from '../../lib/index.js';
import {
  AppInfo,
  FailingCheck,
  TroubledSections,
} from '../fixtures/environment.fixture.js';
import {
  inSentence,
  ORDINARY_VALUES,
  SECRET_CORPUS,
  SecretCorpusSection,
} from '../fixtures/secret-corpus.fixture.js';
import { healthcheckApps, PLATFORMS } from './platforms.js';

describe.each(PLATFORMS)('environment dump over HTTP (%s)', (platform) => {
  const apps = healthcheckApps(platform);
  const boot = (
    options: HealthcheckModuleOptions,
    providers: unknown[] = [],
    imports: unknown[] = [],
  ) =>
    apps.boot(options, {
      providers: providers as never[],
      imports: imports as never[],
    });

  it('is off unless enabled: /environment answers 404', async () => {
    const agent = await boot({});
    expect((await agent.get('/environment')).status).toBe(404);
  });

  it('serves the built-in sections, then custom ones, as JSON that is never cached', async () => {
    const agent = await boot({ environment: true }, [AppInfo]);
    const response = await agent.get('/environment');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(Object.keys(response.body)).toEqual([
      'os',
      'node',
      'process',
      'config',
      'application',
    ]);
    expect(response.body.os).toMatchObject({
      platform: process.platform,
      arch: process.arch,
    });
    expect(response.body.node).toMatchObject({ version: process.version });
    expect(response.body.node.packages['@nestjs/core']).toMatch(
      /^\d+\.\d+\.\d+/,
    );
    expect(response.body.process).toMatchObject({
      pid: process.pid,
      cwd: process.cwd(),
    });
    expect(response.body.application).toEqual({
      maintainer: 'Frank Stratton',
      git_repo: 'https://github.com/Runscope/healthcheck',
      deploy: { nested: { api_key: SCRUBBED_VALUE } },
    });
  });

  it('shows the custom section whether the health checks pass or fail', async () => {
    const agent = await boot({ environment: true }, [AppInfo, FailingCheck]);
    expect((await agent.get('/healthcheck')).status).toBe(500);
    expect((await agent.get('/environment')).body.application.maintainer).toBe(
      'Frank Stratton',
    );
  });

  it('serves at a custom path and leaves out switched-off sections', async () => {
    const agent = await boot({
      environment: {
        path: '/env',
        includeOs: false,
        includeNode: false,
        includeProcess: false,
        config: { region: 'eu' },
      },
    });
    const response = await agent.get('/env');
    expect(response.body).toEqual({ config: { region: 'eu' } });
    expect((await agent.get('/environment')).status).toBe(404);
  });

  it('scrubs secrets in the environment variables, argv and the configuration', async () => {
    process.env.SOME_KEY = 'fake-key';
    process.env.DATABASE_URL = 'postgres://app:hunter2@db:5432/app';
    process.argv.push('--db-password=hunter2', '--token', 'abc123');
    try {
      const agent = await boot({
        environment: {
          config: () => ({
            sentry_dsn: 'https://k@sentry/1',
            internal_host: 'h',
            port: 80,
          }),
          scrub: ['dsn', /^internal_/i],
        },
      });
      const { body, text } = await agent.get('/environment');
      expect(body.process.env.SOME_KEY).toBe(SCRUBBED_VALUE);
      expect(body.process.env.DATABASE_URL).toBe(
        `postgres://app:${SCRUBBED_VALUE}@db:5432/app`,
      );
      expect(body.process.argv.slice(-3)).toEqual([
        `--db-password=${SCRUBBED_VALUE}`,
        '--token',
        SCRUBBED_VALUE,
      ]);
      expect(body.config).toEqual({
        sentry_dsn: SCRUBBED_VALUE,
        internal_host: SCRUBBED_VALUE,
        port: 80,
      });
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('abc123');
    } finally {
      delete process.env.SOME_KEY;
      delete process.env.DATABASE_URL;
      process.argv.splice(-3, 3);
    }
  });

  describe('with the secret corpus in every section', () => {
    const argvLength = process.argv.length;
    const config = () => ({
      settings: Object.fromEntries(
        SECRET_CORPUS.map(({ value }, index) => [`item_${index}`, value]),
      ),
      notes: SECRET_CORPUS.map(({ value }) => inSentence(value)),
      ordinary: [...ORDINARY_VALUES],
    });

    beforeEach(() => {
      SECRET_CORPUS.forEach(({ value }, index) => {
        process.env[`CORPUS_VALUE_${index}`] = value;
        process.env[`CORPUS_NOTE_${index}`] = inSentence(value);
      });
      ORDINARY_VALUES.forEach((value, index) => {
        process.env[`CORPUS_ORDINARY_${index}`] = value;
      });
      process.argv.push(
        '--db-password',
        '-Corpus-dash-pw-1',
        ...SECRET_CORPUS.flatMap(({ value }) => ['--input', value]),
      );
    });

    afterEach(() => {
      for (const key of Object.keys(process.env)) {
        if (key.startsWith('CORPUS_')) delete process.env[key];
      }
      process.argv.splice(argvLength);
    });

    it('serves none of the secrets and every ordinary value', async () => {
      const agent = await boot({ environment: { config } }, [
        SecretCorpusSection,
      ]);
      const { status, body, text } = await agent.get('/environment');
      expect(status).toBe(200);
      const leaked = SECRET_CORPUS.flatMap(({ label, secrets }) =>
        secrets.filter((secret) => text.includes(secret)).map(() => label),
      );
      expect(leaked).toEqual([]);
      expect(text).not.toContain('Corpus-dash-pw-1');
      expect(body.corpus.items).toHaveLength(SECRET_CORPUS.length);
      expect(body.corpus.ordinary).toEqual(ORDINARY_VALUES);
      expect(body.config.ordinary).toEqual(ORDINARY_VALUES);
      ORDINARY_VALUES.forEach((value, index) => {
        expect(body.process.env[`CORPUS_ORDINARY_${index}`]).toBe(value);
      });
    });

    it("shows every key and no value with showValues 'never'", async () => {
      const agent = await boot(
        { environment: { config, showValues: 'never' } },
        [SecretCorpusSection],
      );
      const { body } = await agent.get('/environment');
      expect(Object.keys(body.process.env).sort()).toEqual(
        Object.keys(process.env).sort(),
      );
      expect(Object.keys(body.config.settings)).toEqual(
        SECRET_CORPUS.map((_entry, index) => `item_${index}`),
      );
      const leaves: unknown[] = [];
      const collect = (value: unknown): void => {
        if (value !== null && typeof value === 'object')
          Object.values(value).forEach(collect);
        else leaves.push(value);
      };
      collect(body);
      expect(leaves.length).toBeGreaterThan(100);
      expect(new Set(leaves)).toEqual(new Set([SCRUBBED_VALUE]));
      expect(body.config.ordinary).toHaveLength(ORDINARY_VALUES.length);
    });
  });

  it('shows what @nestjs/config loaded as the config section', async () => {
    const agent = await boot(
      { environment: true },
      [],
      [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          load: [
            () => ({
              database: {
                host: 'db',
                password: 'pw',
                url: 'mysql://u:pw@db/x',
              },
            }),
          ],
        }),
      ],
    );
    const { body } = await agent.get('/environment');
    expect(body.config.database).toEqual({
      host: 'db',
      password: SCRUBBED_VALUE,
      url: `mysql://u:${SCRUBBED_VALUE}@db/x`,
    });
  });

  it('shows a failing section as an error and renders odd values, keeping the rest', async () => {
    const agent = await boot({ environment: { includeProcess: false } }, [
      TroubledSections,
    ]);
    const response = await agent.get('/environment');
    expect(response.status).toBe(200);
    expect(response.body.broken).toEqual({ error: 'section exploded' });
    expect(response.body.unusual).toEqual({
      loop: { id: '7', self: '[Circular]' },
    });
    expect(response.body.os).toBeDefined();
  });
});
