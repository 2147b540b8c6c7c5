/** A serving status of grpc.health.v1, spelled as grpc-health-check's service definition encodes it. */
export type ServingStatus =
  'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/** The part of a @grpc/grpc-js `Server` that `GrpcHealthService.addToServer` uses. */
export interface GrpcHealthServer {
  addService(service: object, implementation: object): void;
}

/** A gRPC status sent instead of a response. */
export interface GrpcStatusError {
  code: number;
  details: string;
}

/** What a Check or Watch call carries. */
export interface HealthCheckRequest {
  service?: string;
}

/** The unary call of Check and List, as far as the handlers use it. */
export interface HealthUnaryCall<Request> {
  request: Request;
}

/** The answer callback of a unary call. */
export type HealthCallback<Response> = (
  error: GrpcStatusError | null,
  response?: Response,
) => void;

/** The server stream of a Watch call, as far as the handler uses it. */
export interface HealthWatchCall {
  request: HealthCheckRequest;
  cancelled: boolean;
  write(message: { status: ServingStatus }): unknown;
  end(): unknown;
  on(event: 'cancelled', listener: () => void): unknown;
}

/** The gRPC status codes the handlers send. */
export const GRPC_STATUS = { NOT_FOUND: 5, INTERNAL: 13 } as const;
