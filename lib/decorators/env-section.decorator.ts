import { SetMetadata } from '@nestjs/common';
import { ENV_SECTION_METADATA } from '../healthcheck.constants.js';

/** Marks a provider or controller method whose return value (sync, Promise or Observable) is a section of the environment dump. */
export function EnvSection(name: string): MethodDecorator {
  return SetMetadata(ENV_SECTION_METADATA, name);
}
