import { createRunner } from './runner.helpers.js';

describe('non-critical checks', () => {
  it('leave the report a success marked degraded, with the result failed and marked non-critical', async () => {
    const { runner } = createRunner();
    runner.addCheck('core', () => true);
    runner.addCheck('recommendations', () => [false, 'slow'], {
      critical: false,
    });
    const report = await runner.run();
    expect(report.status).toBe('success');
    expect(report.degraded).toBe(true);
    expect(report.results[1]).toMatchObject({
      passed: false,
      critical: false,
      output: 'slow',
    });
    expect(report.results[0]).not.toHaveProperty('critical');
  });

  it('do not hide a critical failure', async () => {
    const { runner } = createRunner();
    runner.addCheck('core', () => false);
    runner.addCheck('extra', () => false, { critical: false });
    const report = await runner.run();
    expect(report.status).toBe('failure');
    expect(report).not.toHaveProperty('degraded');
  });
});
