import type { CanActivate, Type } from '@nestjs/common';
import type { Observable } from 'rxjs';

/** A section of the environment dump: a value, or a function producing one (sync, Promise or Observable). */
export type EnvSectionSource =
  | (() => unknown | Promise<unknown> | Observable<unknown>)
  | Record<string, unknown>
  | unknown[]
  | string
  | number
  | boolean
  | null;

/** Options of the environment route. */
export interface EnvironmentOptions {
  /** Route of the dump; default `environment`. */
  path?: string;
  /** Include the `os` section; default true. */
  includeOs?: boolean;
  /** Include the `node` section; default true. */
  includeNode?: boolean;
  /** Include the `process` section; default true. */
  includeProcess?: boolean;
  /** Include the `config` section; default true. */
  includeConfig?: boolean;
  /** The application's configuration; default: what @nestjs/config loaded, if it is used. */
  config?:
    | Record<string, unknown>
    | (() => Record<string, unknown> | Promise<Record<string, unknown>>);
  /**
   * More to scrub: a string matches keys containing it (any case); a RegExp is tested on keys, and every match
   * of it inside a string value is masked (only its `secret` group if it has one).
   */
  scrub?: Array<string | RegExp>;
  /** `'never'` shows every key with every value masked; default `'always'` (values shown, secrets scrubbed). */
  showValues?: 'always' | 'never';
  /** Guards applied to the environment route, e.g. an authentication guard. */
  guards?: Array<Type<CanActivate> | CanActivate>;
}
