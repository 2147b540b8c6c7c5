import type { ModuleRef } from '@nestjs/core';
import { describeThrown } from '../checks/describe-thrown.js';
import { missingDependency, wrongDependency } from '../healthcheck.messages.js';
import { describeValue } from '../serialization/describe-value.js';
import type { DependencyResolver } from './health-check.definition.js';

type Token = string | symbol | ((...args: never[]) => unknown);

const isToken = (value: unknown): value is Token =>
  typeof value === 'string' ||
  typeof value === 'symbol' ||
  typeof value === 'function';

const describeToken = (token: Token): string =>
  typeof token === 'function'
    ? `the class ${token.name || '(anonymous)'}`
    : typeof token === 'symbol'
      ? `the token ${token.toString()}`
      : `the token '${token}'`;

/**
 * The resolver handed to a ready-made check at bootstrap: an instance is used as it is, a DI token (a string,
 * a symbol or a class) is looked up in the whole application. `source` names the check in errors.
 */
export function createDependencyResolver(
  moduleRef: ModuleRef,
  source: string,
): DependencyResolver {
  return <T>(
    option: string,
    dependency: unknown,
    isInstance: (value: unknown) => value is T,
    expected: string,
  ): T => {
    if (isInstance(dependency)) return dependency;
    if (!isToken(dependency)) {
      throw new Error(
        wrongDependency(
          source,
          option,
          `${expected}, or a DI token`,
          describeValue(dependency),
        ),
      );
    }
    let resolved: unknown;
    try {
      resolved = moduleRef.get(dependency, { strict: false });
    } catch (error) {
      throw new Error(
        missingDependency(
          source,
          option,
          describeToken(dependency),
          describeThrown(error),
        ),
        { cause: error },
      );
    }
    if (!isInstance(resolved)) {
      throw new Error(
        wrongDependency(
          source,
          option,
          `${describeToken(dependency)} to provide ${expected}`,
          describeValue(resolved),
        ),
      );
    }
    return resolved;
  };
}
