import type { Type } from '@nestjs/common';
import type { ReportFormat } from '../interfaces/module-options.interface.js';
import { IETF_CONTENT_TYPE } from '../report/ietf-report.js';
import { JSON_CONTENT_TYPE } from '../report/http-response.js';
import {
  environmentSchema,
  errorSchema,
  ietfReportSchema,
  jsonReportSchema,
} from './report.schemas.js';

type Decorator = (
  target: object,
  key?: string | symbol,
  descriptor?: PropertyDescriptor,
) => void;

/** The @nestjs/swagger decorators this module uses. */
export interface SwaggerDecorators {
  ApiExcludeController(): Decorator;
  ApiExcludeEndpoint(): Decorator;
  ApiTags(...tags: string[]): Decorator;
  ApiOperation(options: { summary: string; description?: string }): Decorator;
  ApiResponse(options: {
    status: number;
    description: string;
    schema: object;
  }): Decorator;
  ApiProduces(...mimeTypes: string[]): Decorator;
  ApiQuery(options: {
    name: string;
    required: boolean;
    description: string;
    type: unknown;
    isArray?: boolean;
  }): Decorator;
  ApiParam(options: {
    name: string;
    description: string;
    type: unknown;
  }): Decorator;
}

export interface HealthDocsOptions {
  successStatus: number;
  failedStatus: number;
  format: ReportFormat;
}

const TAG = 'health';

/** The health routes' methods and what each one reports. */
const HEALTH_ROUTES: Record<string, { summary: string; description: string }> =
  {
    report: {
      summary: 'Health report of every check',
      description:
        'Cached per check. `check` selects one check; `exclude` (repeatable) leaves checks out.',
    },
    live: {
      summary: 'Liveness probe',
      description: 'Checks tagged `liveness`; passes when there are none.',
    },
    ready: {
      summary: 'Readiness probe',
      description:
        'Checks tagged `readiness`; fails from the moment the application begins to shut down.',
    },
    startup: {
      summary: 'Startup probe',
      description:
        'Checks tagged `startup`; once it has passed, it stays passed.',
    },
    group: {
      summary: 'Health report of a group',
      description: 'Checks tagged `:tag`.',
    },
  };

/** Documents the health controller's routes: operations, parameters and response schemas. */
export function documentHealthController(
  swagger: SwaggerDecorators,
  controller: Type<unknown>,
  { successStatus, failedStatus, format }: HealthDocsOptions,
): void {
  const schema = format === 'ietf' ? ietfReportSchema : jsonReportSchema;
  const contentType = format === 'ietf' ? IETF_CONTENT_TYPE : JSON_CONTENT_TYPE;
  swagger.ApiTags(TAG)(controller);
  for (const [method, operation] of Object.entries(HEALTH_ROUTES)) {
    const decorators = [
      swagger.ApiOperation(operation),
      swagger.ApiProduces(contentType),
      swagger.ApiResponse({
        status: successStatus,
        description: 'every check passed',
        schema,
      }),
      swagger.ApiResponse({
        status: failedStatus,
        description: 'a check failed',
        schema,
      }),
      swagger.ApiResponse({
        status: 404,
        description: 'unknown check or tag',
        schema: errorSchema,
      }),
    ];
    if (method === 'report') {
      decorators.push(
        swagger.ApiQuery({
          name: 'check',
          required: false,
          description: 'one check by name',
          type: String,
        }),
        swagger.ApiQuery({
          name: 'exclude',
          required: false,
          description: 'checks to leave out',
          type: String,
          isArray: true,
        }),
      );
    }
    if (method === 'group') {
      decorators.push(
        swagger.ApiParam({
          name: 'tag',
          description: 'the group',
          type: String,
        }),
      );
    }
    applyToMethod(controller, method, decorators);
  }
}

/** Documents the environment route. */
export function documentEnvironmentController(
  swagger: SwaggerDecorators,
  controller: Type<unknown>,
): void {
  swagger.ApiTags(TAG)(controller);
  applyToMethod(controller, 'dump', [
    swagger.ApiOperation({
      summary: 'Environment dump',
      description: 'Secrets are scrubbed.',
    }),
    swagger.ApiProduces(JSON_CONTENT_TYPE),
    swagger.ApiResponse({
      status: 200,
      description: 'the dump',
      schema: environmentSchema,
    }),
  ]);
}

function applyToMethod(
  controller: Type<unknown>,
  method: string,
  decorators: Decorator[],
): void {
  const prototype = controller.prototype as object;
  const descriptor = Object.getOwnPropertyDescriptor(prototype, method);
  for (const decorator of decorators) decorator(prototype, method, descriptor);
}
