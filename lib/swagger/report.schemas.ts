/** OpenAPI schemas of the bodies the routes send. */

const checkResult = {
  type: 'object',
  properties: {
    checker: { type: 'string', example: 'database' },
    output: { description: 'what the check returned; any JSON' },
    passed: { type: 'boolean' },
    timestamp: { type: 'number', description: 'epoch seconds of the run' },
    expires: {
      type: 'number',
      description: 'epoch seconds at which the cached result ends',
    },
    response_time: { type: 'number', description: 'seconds the check took' },
    critical: {
      type: 'boolean',
      enum: [false],
      description: 'present on non-critical checks',
    },
    observedValue: { description: 'a measurement, if the check gave one' },
    observedUnit: { type: 'string' },
    runbook: {
      type: 'string',
      description: 'what to read or do when it fails',
    },
    held: {
      type: 'object',
      description:
        'present while failureThreshold or successThreshold holds the previous status',
    },
  },
  required: ['checker', 'passed', 'timestamp', 'expires', 'response_time'],
};

export const jsonReportSchema = {
  type: 'object',
  properties: {
    hostname: { type: 'string' },
    status: { type: 'string', enum: ['success', 'failure'] },
    degraded: {
      type: 'boolean',
      enum: [true],
      description: 'a non-critical check failed',
    },
    timestamp: {
      type: 'number',
      description: 'epoch seconds at which the answer was sent',
    },
    results: { type: 'array', items: checkResult },
  },
  required: ['hostname', 'status', 'timestamp', 'results'],
};

export const ietfReportSchema = {
  type: 'object',
  description: 'application/health+json (draft-inadarei-api-health-check)',
  properties: {
    status: { type: 'string', enum: ['pass', 'warn', 'fail'] },
    description: { type: 'string' },
    checks: {
      type: 'object',
      additionalProperties: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            componentId: { type: 'string' },
            status: { type: 'string', enum: ['pass', 'warn', 'fail'] },
            time: { type: 'string', format: 'date-time' },
            output: { type: 'string' },
            observedValue: {},
            observedUnit: { type: 'string' },
          },
          required: ['componentId', 'status', 'time'],
        },
      },
    },
  },
  required: ['status', 'checks'],
};

export const errorSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['failure'] },
    error: { type: 'string' },
  },
  required: ['status', 'error'],
};

export const environmentSchema = {
  type: 'object',
  description:
    'sections (os, node, process, config, custom ones), secrets scrubbed',
  additionalProperties: { description: 'a section, or { error } if it failed' },
};
