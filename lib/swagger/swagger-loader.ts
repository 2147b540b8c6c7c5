import type { Type } from '@nestjs/common';
import {
  documentEnvironmentController,
  documentHealthController,
  type HealthDocsOptions,
  type SwaggerDecorators,
} from './swagger-docs.js';

/** A variable, so that neither TypeScript nor a bundler treats the optional peer as a dependency. */
const SWAGGER_PACKAGE = '@nestjs/swagger';

export interface DocumentedControllers {
  health: Type<unknown>;
  environment?: Type<unknown>;
  /** The dashboard's page and stream: never in the document. */
  dashboard?: Type<unknown>;
}

/**
 * Documents the controllers for @nestjs/swagger, or leaves them out of its document when `enabled` is false.
 * Resolves without doing anything when @nestjs/swagger is not installed; rejects when documenting fails. The module awaits it in
 * a provider, so the docs are in place before the application (and any `SwaggerModule.createDocument`) exists.
 */
export async function applySwaggerDocs(
  controllers: DocumentedControllers,
  enabled: boolean,
  options: HealthDocsOptions,
  load: () => Promise<unknown> = () => import(SWAGGER_PACKAGE),
): Promise<void> {
  let swagger: SwaggerDecorators;
  try {
    swagger = (await load()) as SwaggerDecorators;
  } catch {
    return;
  }
  const { health, environment, dashboard } = controllers;
  if (dashboard) swagger.ApiExcludeController()(dashboard);
  if (!enabled) {
    swagger.ApiExcludeController()(health);
    if (environment) swagger.ApiExcludeController()(environment);
    return;
  }
  documentHealthController(swagger, health, options);
  if (environment) documentEnvironmentController(swagger, environment);
}
