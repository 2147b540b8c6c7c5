import { jest } from '@jest/globals';
import { EnvironmentDumpService } from '../../lib/environment/environment-dump.service.js';
import { checkTimedOut } from '../../lib/healthcheck.messages.js';
import type { HealthcheckModuleOptions } from '../../lib/index.js';
import { resolveModuleOptions } from '../../lib/options/healthcheck-options.resolver.js';
import { SectionRegistry } from '../../lib/sections/section.registry.js';
import { of } from 'rxjs';

function createDump(options: HealthcheckModuleOptions = {}) {
  return new EnvironmentDumpService(
    resolveModuleOptions(options),
    new SectionRegistry(),
  );
}

const onlyCustom = {
  environment: {
    includeOs: false,
    includeNode: false,
    includeProcess: false,
    includeConfig: false,
  },
};

describe('EnvironmentDumpService', () => {
  afterEach(() => jest.useRealTimers());

  it('adds sections by hand as a function or a value, as the seed library does', async () => {
    const dump = createDump(onlyCustom);
    dump.addSection('custom_section', () => 'My custom section');
    dump.addSection('static', { region: 'eu' });
    dump.addSection('streamed', () => of({ first: true }));
    expect(await dump.dump()).toEqual({
      custom_section: 'My custom section',
      static: { region: 'eu' },
      streamed: { first: true },
    });
  });

  it('refuses a duplicate section, built-in names included', () => {
    const dump = createDump({ environment: true });
    dump.addSection('custom_section', 'x');
    expect(() => dump.addSection('custom_section', 'y')).toThrow(
      /Two sections are named "custom_section"/,
    );
    expect(() => dump.addSection('os', 'mine')).toThrow(/built-in section/);
  });

  it('refuses a section without a name', () => {
    expect(() => createDump().addSection('', 'x')).toThrow(
      /expected a non-empty string/,
    );
  });

  it('gives up on a section that hangs, after the module timeout', async () => {
    jest.useFakeTimers();
    const dump = createDump({ ...onlyCustom, timeout: 200 });
    dump.addSection('hangs', () => new Promise(() => undefined));
    dump.addSection('fine', 'ok');
    const result = dump.dump();
    await jest.advanceTimersByTimeAsync(200);
    expect(await result).toEqual({
      hangs: { error: checkTimedOut(200) },
      fine: 'ok',
    });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('produces the dump even when no environment route is configured', async () => {
    const dump = await createDump().dump();
    expect(Object.keys(dump)).toEqual(['os', 'node', 'process', 'config']);
    expect(dump.config).toEqual({});
  });
});
