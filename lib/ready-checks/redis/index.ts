import { redis } from './redis.check.js';

export { checkRedis, type RedisCheckOptions } from './redis.check.js';
export {
  isIoredisClient,
  isNodeRedisClient,
  isRedisClient,
  type IoredisLike,
  type NodeRedisLike,
  type RedisClientLike,
} from './redis-client.js';

/** The Redis family of the `checks` namespace. */
export const redisChecks = { redis };
