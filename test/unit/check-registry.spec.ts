import { CheckRegistry } from '../../lib/checks/check.registry.js';
import { UnknownSelectionError } from '../../lib/checks/unknown-selection.error.js';
import {
  duplicateCheck,
  notAFunction,
  unknownSelection,
} from '../../lib/healthcheck.messages.js';
import type {
  HealthCheckOptions,
  HealthCheckSelection,
} from '../../lib/interfaces/check.interface.js';
import { resolveModuleOptions } from '../../lib/options/module-options.resolver.js';

const pass = () => true;

function registryWith(
  checks: Array<[name: string, options?: Omit<HealthCheckOptions, 'name'>]>,
): CheckRegistry {
  const registry = new CheckRegistry(resolveModuleOptions({}));
  for (const [name, options] of checks) add(registry, name, options);
  return registry;
}

function add(
  registry: CheckRegistry,
  name: string,
  options: Omit<HealthCheckOptions, 'name'> = {},
): void {
  registry.register(pass, { ...options, name }, name, `Test.${name}`);
}

const names = (checks: ReadonlyArray<{ name: string }>) =>
  checks.map((check) => check.name);

describe('CheckRegistry.select', () => {
  const registry = registryWith([
    ['process', { tags: ['liveness'] }],
    ['database', { tags: ['readiness', 'db'] }],
    ['cache', { tags: ['readiness'] }],
    ['untagged'],
  ]);

  it('selects every check, in registration order, without a selection', () => {
    expect(names(registry.select())).toEqual([
      'process',
      'database',
      'cache',
      'untagged',
    ]);
    expect(registry.select()).toBe(registry.checks);
    expect(registry.select({})).toBe(registry.checks);
  });

  it.each([
    [{ tag: 'readiness' }, ['database', 'cache']],
    [{ tag: 'db' }, ['database']],
    [{ check: 'cache' }, ['cache']],
    [{ exclude: ['database', 'untagged'] }, ['process', 'cache']],
    [{ exclude: [] }, ['process', 'database', 'cache', 'untagged']],
    [{ tag: 'readiness', exclude: ['cache'] }, ['database']],
    [{ tag: 'readiness', check: 'database' }, ['database']],
    [{ tag: 'liveness', check: 'database' }, []],
    [{ check: 'cache', exclude: ['cache'] }, []],
  ] as Array<[HealthCheckSelection, string[]]>)(
    'selects %p as %p',
    (selection, expected) => {
      expect(names(registry.select(selection))).toEqual(expected);
    },
  );

  it.each([
    [{ check: 'nope' }, 'check', 'nope'],
    [{ tag: 'nope' }, 'tag', 'nope'],
    [{ exclude: ['cache', 'nope'] }, 'check', 'nope'],
    [{ tag: 'readiness', check: 'nope' }, 'check', 'nope'],
  ] as const)(
    'throws UnknownSelectionError for %p',
    (selection, kind, value) => {
      let thrown: unknown;
      try {
        registry.select(selection);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(UnknownSelectionError);
      expect(thrown).toMatchObject({
        kind,
        value,
        name: 'UnknownSelectionError',
        message: unknownSelection(kind, value),
      });
    },
  );

  it.each(['liveness', 'readiness', 'startup'])(
    'knows the probe tag %s even when no check has it',
    (tag) => {
      expect(registryWith([]).select({ tag })).toEqual([]);
    },
  );

  it('gives the same array for a group until a check is added, then a new one', () => {
    const growing = registryWith([['database', { tags: ['db'] }]]);
    const first = growing.select({ tag: 'db' });
    expect(growing.select({ tag: 'db' })).toBe(first);
    const everything = growing.select();

    add(growing, 'replica', { tags: ['db'] });
    const second = growing.select({ tag: 'db' });
    expect(second).not.toBe(first);
    expect(names(first)).toEqual(['database']);
    expect(names(second)).toEqual(['database', 'replica']);
    expect(growing.select({ tag: 'db' })).toBe(second);
    expect(growing.select()).not.toBe(everything);
    expect(Object.isFrozen(second)).toBe(true);
  });

  it('knows a tag from the moment a check with it is added', () => {
    const growing = registryWith([]);
    expect(() => growing.select({ tag: 'queue' })).toThrow(
      UnknownSelectionError,
    );
    add(growing, 'rabbit', { tags: ['queue'] });
    expect(names(growing.select({ tag: 'queue' }))).toEqual(['rabbit']);
  });
});

describe('CheckRegistry.register', () => {
  it('refuses a second check of the same name, naming both places', () => {
    const registry = registryWith([['db']]);
    expect(() =>
      registry.register(pass, { name: 'db' }, 'other', 'Other.other'),
    ).toThrow(duplicateCheck('db', 'Test.db', 'Other.other'));
  });

  it('refuses a check that is not a function', () => {
    const registry = registryWith([]);
    expect(() =>
      registry.register(42 as never, {}, 'answer', 'Test.answer'),
    ).toThrow(notAFunction('Test.answer', 'the number 42'));
  });

  it('tells its listeners about every check added', () => {
    const registry = registryWith([]);
    const added: string[] = [];
    registry.onAdd((check) => added.push(check.name));
    add(registry, 'a');
    add(registry, 'b');
    expect(added).toEqual(['a', 'b']);
  });
});
