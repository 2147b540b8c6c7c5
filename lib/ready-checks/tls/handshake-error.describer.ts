import { tlsNotSpoken, tlsProtocolError } from '../../healthcheck.messages.js';
import { describeNetworkError } from '../shared/network-error.describer.js';

/**
 * Why a TLS handshake failed, as one line: an OpenSSL error in words with its code (`the server does not speak
 * TLS on this port (ERR_SSL_WRONG_VERSION_NUMBER)`) instead of OpenSSL's internal trace, else as any network
 * error (the signal's reason when it aborted).
 */
export function describeHandshakeError(
  error: unknown,
  signal?: AbortSignal,
): string {
  if (signal?.aborted) return describeNetworkError(error, signal);
  const { code, reason } = (error ?? {}) as {
    code?: unknown;
    reason?: unknown;
  };
  if (typeof code !== 'string' || !code.startsWith('ERR_SSL_')) {
    return describeNetworkError(error, signal);
  }
  if (
    code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' ||
    code === 'ERR_SSL_HTTP_REQUEST'
  ) {
    return tlsNotSpoken(code);
  }
  return tlsProtocolError(
    typeof reason === 'string' && reason !== '' ? reason : 'an error',
    code,
  );
}
