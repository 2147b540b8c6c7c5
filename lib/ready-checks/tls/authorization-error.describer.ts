/** OpenSSL's verification codes as Node reports them in `authorizationError`, in words. */
const VERIFY_ERRORS: Readonly<Record<string, string>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'its issuer is not among the trusted roots and the server did not send it',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    'the root of its chain is not among the trusted roots',
  UNABLE_TO_GET_ISSUER_CERT:
    'the issuer of a certificate in its chain is unknown',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN:
    'its chain ends in a self-signed root that is not trusted',
  CERT_SIGNATURE_FAILURE: 'its signature does not verify',
  CERT_REVOKED: 'it has been revoked',
  CERT_UNTRUSTED: 'it is not trusted for this purpose',
  CERT_REJECTED: 'it is marked as rejected',
  INVALID_CA: 'a certificate of its chain is not a valid CA',
  INVALID_PURPOSE: 'it is not meant for a TLS server',
  PATH_LENGTH_EXCEEDED: 'its chain is longer than a CA allows',
};

/**
 * Why the chain did not verify, for a person on call: `it is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)`. Node
 * gives `authorizationError` as OpenSSL's code (a string) or an Error carrying one.
 */
export function describeAuthorizationError(error: unknown): string {
  const code =
    typeof error === 'string'
      ? error
      : String((error as { code?: unknown } | null)?.code ?? '');
  const words = VERIFY_ERRORS[code];
  if (words) return `${words}: ${code}`;
  if (code !== '') return code;
  return error instanceof Error ? error.message : String(error);
}

/** Whether the verification failed on the dates only: those are judged on their own. */
export function isDateVerifyError(error: unknown): boolean {
  const code =
    typeof error === 'string'
      ? error
      : (error as { code?: unknown } | null)?.code;
  return code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID';
}
