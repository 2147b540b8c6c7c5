import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { statusListenerFailed } from '../../lib/healthcheck.messages.js';
import type { HealthStatusChange } from '../../lib/interfaces/module-options.interface.js';
import { createRunner } from './runner.helpers.js';

describe('status change events', () => {
  afterEach(() => jest.restoreAllMocks());

  it('tell the listener when a check and the overall status flip, with old and new results', async () => {
    const changes: HealthStatusChange[] = [];
    const { runner } = createRunner({
      successTtl: 0,
      failedTtl: 0,
      onStatusChange: (change) => void changes.push(change),
    });
    let healthy = true;
    runner.addCheck('db', () => [healthy, healthy ? 'up' : 'down']);

    await runner.run();
    expect(changes).toEqual([]);

    healthy = false;
    await runner.run();
    await runner.run();
    expect(changes).toEqual([
      {
        type: 'check',
        name: 'db',
        previous: expect.objectContaining({ passed: true, output: 'up' }),
        current: expect.objectContaining({ passed: false, output: 'down' }),
      },
      { type: 'overall', previous: 'success', current: 'failure' },
    ]);

    healthy = true;
    await runner.run();
    expect(changes.slice(2)).toEqual([
      expect.objectContaining({
        type: 'check',
        name: 'db',
        current: expect.objectContaining({ passed: true }),
      }),
      { type: 'overall', previous: 'failure', current: 'success' },
    ]);
  });

  it('do not flip the overall status for a non-critical check', async () => {
    const changes: HealthStatusChange[] = [];
    const { runner } = createRunner({
      onStatusChange: (change) => void changes.push(change),
    });
    runner.addCheck('extra', () => false, { critical: false });
    await runner.run();
    expect(changes.map((change) => change.type)).toEqual(['check']);
  });

  it('survive a listener that throws or rejects', async () => {
    const error = jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation(() => undefined);
    const { runner } = createRunner({
      onStatusChange: (change) => {
        if (change.type === 'check') throw new Error('pager down');
        return Promise.reject(new Error('metrics down'));
      },
    });
    runner.addCheck('db', () => false);
    expect((await runner.run()).status).toBe('failure');
    await new Promise((resolve) => setImmediate(resolve));
    expect(error).toHaveBeenCalledWith(statusListenerFailed('pager down'));
    expect(error).toHaveBeenCalledWith(statusListenerFailed('metrics down'));
  });
});
