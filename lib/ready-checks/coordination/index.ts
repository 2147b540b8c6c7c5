import { etcd } from './etcd.check.js';

export { checkEtcd, type EtcdCheckOptions } from './etcd.check.js';
export { isEtcd3Client, type Etcd3Like } from './etcd-client.js';

/** The coordination family of the `checks` namespace. */
export const coordinationChecks = { etcd };
