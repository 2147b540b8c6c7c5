import { jest } from '@jest/globals';
import { EnvironmentDumpService } from '../../lib/environment/environment-dump.service.js';
import { checkTimedOut } from '../../lib/healthcheck.messages.js';
import type { HealthcheckModuleOptions } from '../../lib/index.js';
import { resolveModuleOptions } from '../../lib/options/module-options.resolver.js';
import { SectionRegistry } from '../../lib/sections/section.registry.js';
import { of } from 'rxjs';
import { SCRUBBED_VALUE } from '../../lib/healthcheck.constants.js';
import {
  inSentence,
  ORDINARY_VALUES,
  SECRET_CORPUS,
} from '../fixtures/secret-corpus.fixture.js';

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

describe('EnvironmentDumpService and the secret corpus', () => {
  const secretArgv = [
    '--db-password',
    '-Corpus-dash-pw-1',
    '--api-token=CorpusArgToken42',
    ...SECRET_CORPUS.flatMap(({ value }) => ['--input', value]),
  ];
  const argvLength = process.argv.length;

  beforeEach(() => {
    SECRET_CORPUS.forEach(({ value }, index) => {
      process.env[`CORPUS_VALUE_${index}`] = value;
      process.env[`CORPUS_NOTE_${index}`] = inSentence(value);
    });
    ORDINARY_VALUES.forEach((value, index) => {
      process.env[`CORPUS_ORDINARY_${index}`] = value;
    });
    process.argv.push(...secretArgv);
  });

  afterEach(() => {
    for (const key of Object.keys(process.env)) {
      if (key.startsWith('CORPUS_')) delete process.env[key];
    }
    process.argv.splice(argvLength);
  });

  const corpusOptions = (showValues?: 'always' | 'never') => ({
    environment: {
      includeOs: false,
      includeNode: false,
      showValues,
      config: {
        settings: Object.fromEntries(
          SECRET_CORPUS.map(({ value }, index) => [`item_${index}`, value]),
        ),
        ordinary: [...ORDINARY_VALUES],
      },
    },
  });

  it('shows none of the corpus secrets, wherever they sit, and no dash-led argv value', async () => {
    const dump = createDump(corpusOptions());
    dump.addSection('custom', {
      list: SECRET_CORPUS.map(({ value }) => ({ value })),
      sentences: SECRET_CORPUS.map(({ value }) => inSentence(value)),
    });
    const text = JSON.stringify(await dump.dump());
    for (const { label, secrets } of SECRET_CORPUS) {
      for (const secret of secrets) {
        expect({ label, leaked: text.includes(secret) }).toEqual({
          label,
          leaked: false,
        });
      }
    }
    expect(text).not.toContain('Corpus-dash-pw-1');
    expect(text).not.toContain('CorpusArgToken42');
  });

  it('masks none of the ordinary values', async () => {
    const dump = createDump(corpusOptions());
    dump.addSection('custom', { ordinary: [...ORDINARY_VALUES] });
    const result = (await dump.dump()) as Record<
      string,
      Record<string, unknown>
    >;
    const env = result.process.env as Record<string, string>;
    ORDINARY_VALUES.forEach((value, index) => {
      expect(env[`CORPUS_ORDINARY_${index}`]).toBe(value);
    });
    expect(result.config.ordinary).toEqual(ORDINARY_VALUES);
    expect(result.custom.ordinary).toEqual(ORDINARY_VALUES);
  });

  it("shows every key and no value with showValues 'never'", async () => {
    const dump = createDump(corpusOptions('never'));
    dump.addSection('custom', { region: 'eu', list: ['a', 'b'] });
    const result = (await dump.dump()) as Record<
      string,
      Record<string, unknown>
    >;
    const env = result.process.env as Record<string, string>;
    expect(Object.keys(env).sort()).toEqual(Object.keys(process.env).sort());
    expect(new Set(Object.values(env))).toEqual(new Set([SCRUBBED_VALUE]));
    expect(Object.keys(result.config.settings as object)).toEqual(
      SECRET_CORPUS.map((_entry, index) => `item_${index}`),
    );
    expect(result.config.ordinary).toEqual(
      ORDINARY_VALUES.map(() => SCRUBBED_VALUE),
    );
    expect(result.custom).toEqual({
      region: SCRUBBED_VALUE,
      list: [SCRUBBED_VALUE, SCRUBBED_VALUE],
    });
    expect(result.process.argv).toEqual(process.argv.map(() => SCRUBBED_VALUE));
    const text = JSON.stringify(result);
    for (const value of [...ORDINARY_VALUES, process.cwd()]) {
      expect(text).not.toContain(JSON.stringify(value));
    }
  });
});
