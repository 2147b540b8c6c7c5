/** grpc.health.v1.HealthCheckResponse.ServingStatus, by number. */
export const SERVING_STATUS_NAMES = [
  'UNKNOWN',
  'SERVING',
  'NOT_SERVING',
  'SERVICE_UNKNOWN',
] as const;

/** Encodes a grpc.health.v1.HealthCheckRequest: field 1, the service name, as protobuf. */
export function encodeHealthCheckRequest(service: string): Buffer {
  if (service === '') return Buffer.alloc(0);
  const name = Buffer.from(service, 'utf8');
  return Buffer.concat([Buffer.from([0x0a]), encodeVarint(name.length), name]);
}

/**
 * Decodes a grpc.health.v1.HealthCheckResponse and returns the name of its status (field 1), `UNKNOWN` when
 * absent, `STATUS_<n>` for a number this version does not know. Unknown fields are skipped.
 */
export function decodeHealthCheckResponse(message: Buffer): string {
  let status = 0;
  let offset = 0;
  while (offset < message.length) {
    const [key, afterKey] = readVarint(message, offset);
    const field = key >>> 3;
    const wireType = key & 7;
    offset = afterKey;
    if (wireType === 0) {
      const [value, next] = readVarint(message, offset);
      if (field === 1) status = value;
      offset = next;
    } else if (wireType === 2) {
      const [length, next] = readVarint(message, offset);
      offset = next + length;
    } else if (wireType === 1) {
      offset += 8;
    } else if (wireType === 5) {
      offset += 4;
    } else {
      throw new Error(`malformed HealthCheckResponse (wire type ${wireType})`);
    }
  }
  return SERVING_STATUS_NAMES[status] ?? `STATUS_${status}`;
}

function encodeVarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function readVarint(buffer: Buffer, start: number): [number, number] {
  let value = 0;
  let shift = 0;
  let offset = start;
  for (;;) {
    if (offset >= buffer.length || shift > 63) {
      throw new Error('malformed HealthCheckResponse (truncated varint)');
    }
    const byte = buffer[offset++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, offset];
    shift += 7;
  }
}
