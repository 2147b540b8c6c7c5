import { ldap } from './ldap.check.js';

export {
  checkLdap,
  type LdapCheckOptions,
  type LdapRunOptions,
} from './ldap.check.js';
export { isLdapClient, type LdapClientLike } from './ldap-client.js';

/** The directory family of the `checks` namespace. */
export const directoryChecks = { ldap };
