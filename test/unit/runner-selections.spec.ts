import { jest } from '@jest/globals';
import { UnknownSelectionError } from '../../lib/checks/unknown-selection.error.js';
import { unknownSelection } from '../../lib/healthcheck.messages.js';
import { createRunner } from './runner.helpers.js';

const names = (report: { results: Array<{ checker: string }> }) =>
  report.results.map((result) => result.checker);

describe('HealthCheckRunner selections', () => {
  function runnerWithGroups() {
    const { runner } = createRunner();
    const database = jest.fn(() => true);
    runner.addCheck('process', () => true, { tags: ['liveness'] });
    runner.addCheck('database', database, { tags: ['readiness', 'db'] });
    runner.addCheck('cache', () => true, { tags: ['readiness'] });
    runner.addCheck('warmup', () => true, { tags: ['startup'] });
    runner.addCheck('untagged', () => true);
    return { runner, database };
  }

  it('covers every check, tagged or not, in the full report', async () => {
    const { runner } = runnerWithGroups();
    expect(names(await runner.run())).toEqual([
      'process',
      'database',
      'cache',
      'warmup',
      'untagged',
    ]);
  });

  it.each([
    ['liveness', ['process']],
    ['readiness', ['database', 'cache']],
    ['startup', ['warmup']],
    ['db', ['database']],
  ])('selects the checks tagged %s', async (tag, expected) => {
    const { runner } = runnerWithGroups();
    expect(names(await runner.run({ tag }))).toEqual(expected);
  });

  it('selects one check by name, or all but the excluded ones', async () => {
    const { runner } = runnerWithGroups();
    expect(names(await runner.run({ check: 'cache' }))).toEqual(['cache']);
    expect(
      names(await runner.run({ exclude: ['database', 'warmup', 'untagged'] })),
    ).toEqual(['process', 'cache']);
    expect(
      names(await runner.run({ tag: 'readiness', exclude: ['cache'] })),
    ).toEqual(['database']);
  });

  it('passes an empty probe group: no check means nothing is wrong', async () => {
    const { runner } = createRunner();
    expect(await runner.run({ tag: 'liveness' })).toMatchObject({
      status: 'success',
      results: [],
    });
  });

  it.each([
    [{ check: 'nope' }, 'check', 'nope'],
    [{ tag: 'nope' }, 'tag', 'nope'],
    [{ exclude: ['nope'] }, 'check', 'nope'],
  ] as const)(
    'refuses the unknown selection %p',
    async (selection, kind, value) => {
      const { runner } = runnerWithGroups();
      const attempt = runner.run(selection);
      await expect(attempt).rejects.toBeInstanceOf(UnknownSelectionError);
      await expect(attempt).rejects.toThrow(unknownSelection(kind, value));
    },
  );

  it('shares one cached result of a check between every report that includes it', async () => {
    const { runner, database } = runnerWithGroups();
    await runner.run({ tag: 'readiness' });
    await runner.run();
    await runner.run({ check: 'database' });
    expect(database).toHaveBeenCalledTimes(1);
  });
});
