import { tls } from './tls.check.js';

export {
  checkTls,
  type TlsCertificates,
  type TlsCheckOptions,
  type TlsRunOptions,
} from './tls.check.js';

/** The TLS family of the `checks` namespace: the certificate a server presents. */
export const tlsChecks = { tls };
