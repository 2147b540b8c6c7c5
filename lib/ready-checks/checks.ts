import { brokerChecks } from './brokers/index.js';
import { cacheChecks } from './cache/index.js';
import { coordinationChecks } from './coordination/index.js';
import { directoryChecks } from './directory/index.js';
import { grpcChecks } from './grpc/index.js';
import { mailChecks } from './mail/index.js';
import { mongoChecks } from './mongo/index.js';
import { networkChecks } from './network/index.js';
import { queueChecks } from './queues/index.js';
import { redisChecks } from './redis/index.js';
import { runtimeChecks } from './runtime/index.js';
import { searchChecks } from './search/index.js';
import { sqlChecks } from './sql/index.js';
import { tlsChecks } from './tls/index.js';

/**
 * Ready-made checks, registered with the module option `checks: [...]`, e.g.
 * `checks.redis('cache', { client: REDIS_CLIENT, tags: ['readiness'] })`. Each entry also carries its logic as
 * `.run(...)`, for a `@HealthCheck()` method of your own.
 */
export const checks = Object.freeze({
  ...runtimeChecks,
  ...networkChecks,
  ...sqlChecks,
  ...mongoChecks,
  ...redisChecks,
  ...brokerChecks,
  ...queueChecks,
  ...cacheChecks,
  ...grpcChecks,
  ...tlsChecks,
  ...mailChecks,
  ...searchChecks,
  ...coordinationChecks,
  ...directoryChecks,
});
