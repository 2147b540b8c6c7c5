import { dns } from './dns.check.js';
import { http } from './http.check.js';
import { tcp } from './tcp.check.js';

export {
  checkDns,
  DNS_RECORD_TYPES,
  type DnsCheckOptions,
  type DnsRecordType,
  type DnsRunOptions,
} from './dns.check.js';
export {
  checkHttp,
  type HttpCheckOptions,
  type HttpRunOptions,
} from './http.check.js';
export type { HttpStatusExpectation } from './http-status.expectation.js';
export {
  checkTcp,
  type TcpCheckOptions,
  type TcpRunOptions,
} from './tcp.check.js';

/** The network family of the `checks` namespace: an HTTP request, a TCP connect, a name resolution. */
export const networkChecks = { http, tcp, dns };
