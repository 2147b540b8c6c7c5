import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  checkRecovered,
  checkStartedFailing,
} from '../../lib/healthcheck.messages.js';
import type {
  HealthcheckModuleOptions,
  HealthStatusChange,
} from '../../lib/index.js';
import {
  CACHE_RUNBOOK,
  CountedCache,
  DATABASE_RUNBOOK,
  FlakyDatabase,
} from '../fixtures/on-call.fixture.js';
import { healthcheckApps, PLATFORMS } from './platforms.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const AT = T0 / 1000;

/** The database result at T0, uncached (TTLs of null). */
const database = (
  passed: boolean,
  output: string,
  held?: Record<string, unknown>,
) => ({
  checker: 'database',
  output,
  passed,
  timestamp: AT,
  expires: AT,
  response_time: expect.any(Number),
  runbook: DATABASE_RUNBOOK,
  ...(held && { held }),
});

const failuresHeld = (count: number, latest: string) => ({
  consecutive_failures: count,
  failure_threshold: 3,
  latest_output: latest,
});

const successesHeld = (count: number, latest: string) => ({
  consecutive_successes: count,
  success_threshold: 2,
  latest_output: latest,
});

/** Reads the header an internal caller sends, on Express and Fastify alike. */
const internalCallers: HealthcheckModuleOptions['showDetails'] = (request) =>
  (request as { headers: Record<string, string | undefined> }).headers[
    'x-internal'
  ] === 'yes';

afterEach(() => jest.restoreAllMocks());

describe.each(PLATFORMS)('on call (%s)', (platform) => {
  const apps = healthcheckApps(platform);

  describe('flap damping', () => {
    it('holds the status through scattered failures, flips at failureThreshold in a row, recovers at successThreshold', async () => {
      jest.spyOn(Date, 'now').mockReturnValue(T0);
      const onStatusChange = jest.fn<(change: HealthStatusChange) => void>();
      const agent = await apps.boot(
        { successTtl: null, failedTtl: null, onStatusChange },
        { providers: [FlakyDatabase] },
      );
      apps.app.get(FlakyDatabase).script = [
        [true, 'up'],
        [false, 'down 1'],
        [false, 'down 2'],
        [true, 'up 2'],
        [false, 'down 3'],
        [false, 'down 4'],
        [true, 'up 3'],
        [false, 'down 5'],
        [false, 'down 6'],
        [false, 'down 7'],
        [true, 'up 4'],
        [true, 'up 5'],
        [true, 'up 6'],
      ];
      const warn = jest
        .spyOn(Logger.prototype, 'warn')
        .mockImplementation(() => undefined);
      const log = jest
        .spyOn(Logger.prototype, 'log')
        .mockImplementation(() => undefined);

      const answers: Array<[number, unknown]> = [];
      for (let request = 0; request < 13; request++) {
        const response = await agent.get('/healthcheck');
        answers.push([response.status, response.body.results[0]]);
      }

      expect(answers).toEqual([
        [200, database(true, 'up')],
        [200, database(true, 'up', failuresHeld(1, 'down 1'))],
        [200, database(true, 'up', failuresHeld(2, 'down 2'))],
        [200, database(true, 'up 2')],
        [200, database(true, 'up 2', failuresHeld(1, 'down 3'))],
        [200, database(true, 'up 2', failuresHeld(2, 'down 4'))],
        [200, database(true, 'up 3')],
        [200, database(true, 'up 3', failuresHeld(1, 'down 5'))],
        [200, database(true, 'up 3', failuresHeld(2, 'down 6'))],
        [500, database(false, 'down 7')],
        [500, database(false, 'down 7', successesHeld(1, 'up 4'))],
        [200, database(true, 'up 5')],
        [200, database(true, 'up 6')],
      ]);
      expect(apps.app.get(FlakyDatabase).runs).toBe(13);

      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith(
        checkStartedFailing('database', 'down 7'),
      );
      expect(log).toHaveBeenCalledTimes(1);
      expect(log).toHaveBeenCalledWith(checkRecovered('database'));
      expect(onStatusChange.mock.calls.map(([change]) => change)).toEqual([
        {
          type: 'check',
          name: 'database',
          previous: database(true, 'up 3', failuresHeld(2, 'down 6')),
          current: database(false, 'down 7'),
        },
        { type: 'overall', previous: 'success', current: 'failure' },
        {
          type: 'check',
          name: 'database',
          previous: database(false, 'down 7', successesHeld(1, 'up 4')),
          current: database(true, 'up 5'),
        },
        { type: 'overall', previous: 'failure', current: 'success' },
      ]);
    });
  });

  describe('runbook', () => {
    const cacheResult = {
      checker: 'cache',
      output: 'evictions over the limit',
      passed: false,
      timestamp: AT,
      expires: AT + 9,
      response_time: expect.any(Number),
      observedValue: 97,
      observedUnit: 'percent',
      runbook: CACHE_RUNBOOK,
    };

    it('is "runbook" in the JSON format, with details or without', async () => {
      jest.spyOn(Date, 'now').mockReturnValue(T0);
      const agent = await apps.boot(
        { showDetails: internalCallers },
        { providers: [CountedCache] },
      );
      const detailed = await agent.get('/healthcheck').set('X-Internal', 'yes');
      expect(detailed.status).toBe(500);
      expect(detailed.body.results).toEqual([cacheResult]);
      const hidden = await agent.get('/healthcheck');
      expect(hidden.body.results).toEqual([
        { checker: 'cache', passed: false, runbook: CACHE_RUNBOOK },
      ]);
    });

    it('is links.runbook in the IETF format, with details or without', async () => {
      jest.spyOn(Date, 'now').mockReturnValue(T0);
      const agent = await apps.boot(
        { format: 'ietf', showDetails: internalCallers },
        { providers: [CountedCache] },
      );
      const time = new Date(T0).toISOString();
      const detailed = await agent.get('/healthcheck').set('X-Internal', 'yes');
      expect(detailed.headers['content-type']).toMatch(
        /^application\/health\+json/,
      );
      expect(JSON.parse(detailed.text).checks).toEqual({
        cache: [
          {
            componentId: 'cache',
            status: 'fail',
            time,
            output: 'evictions over the limit',
            observedValue: 97,
            observedUnit: 'percent',
            links: { runbook: CACHE_RUNBOOK },
          },
        ],
      });
      const hidden = await agent.get('/healthcheck');
      expect(JSON.parse(hidden.text).checks).toEqual({
        cache: [
          {
            componentId: 'cache',
            status: 'fail',
            time,
            links: { runbook: CACHE_RUNBOOK },
          },
        ],
      });
    });
  });

  describe('showDetails as a function of the request', () => {
    it('gives outputs only to the callers it allows, from one cached run', async () => {
      const agent = await apps.boot(
        { showDetails: internalCallers },
        { providers: [CountedCache] },
      );
      const outsider = await agent.get('/healthcheck');
      const insider = await agent.get('/healthcheck').set('X-Internal', 'yes');
      const wrongValue = await agent
        .get('/healthcheck')
        .set('X-Internal', 'no');
      const outsiderAgain = await agent.get('/healthcheck');

      expect(outsider.status).toBe(500);
      expect(insider.status).toBe(500);
      expect(outsider.body.results).toEqual([
        { checker: 'cache', passed: false, runbook: CACHE_RUNBOOK },
      ]);
      expect(wrongValue.body.results).toEqual(outsider.body.results);
      expect(insider.body.results).toEqual([
        expect.objectContaining({
          checker: 'cache',
          output: 'evictions over the limit',
          observedValue: 97,
        }),
      ]);
      expect(outsiderAgain.body.results).toEqual(outsider.body.results);
      expect(apps.app.get(CountedCache).runs).toBe(1);
    });

    it('shows no details when the function throws', async () => {
      const agent = await apps.boot(
        {
          showDetails: () => {
            throw new Error('no session');
          },
        },
        { providers: [CountedCache] },
      );
      const response = await agent.get('/healthcheck');
      expect(response.body.results).toEqual([
        { checker: 'cache', passed: false, runbook: CACHE_RUNBOOK },
      ]);
    });
  });
});
