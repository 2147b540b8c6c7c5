import { grpc } from './grpc.check.js';

export {
  checkGrpc,
  type GrpcCheckOptions,
  type GrpcRunOptions,
} from './grpc.check.js';

/** The gRPC-client family of the `checks` namespace: another server's grpc.health.v1 status. */
export const grpcChecks = { grpc };
