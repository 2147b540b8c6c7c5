import { memcached } from './memcached.check.js';

export {
  checkMemcached,
  type MemcachedCheckOptions,
} from './memcached.check.js';
export {
  isMemcachedClient,
  isMemcachedPackageClient,
  isMemjsClient,
  type MemcachedClientLike,
  type MemcachedPackageLike,
  type MemjsClientLike,
} from './memcached-client.js';

/** The cache family of the `checks` namespace. */
export const cacheChecks = { memcached };
