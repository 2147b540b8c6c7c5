import { describeThrown } from '../../checks/describe-thrown.js';
import { grpcClientMissing } from '../../healthcheck.messages.js';

/** A variable, so that neither TypeScript nor a bundler treats the optional peer as a dependency. */
export const GRPC_JS_PACKAGE = '@grpc/grpc-js';

/** A unary call in flight. */
export interface GrpcCall {
  cancel(): void;
}

/** The error a gRPC call fails with. */
export interface GrpcServiceError extends Error {
  code?: number;
  details?: string;
}

/** The parts of a @grpc/grpc-js client the check uses. */
export interface GrpcClient {
  makeUnaryRequest<Request, Response>(
    method: string,
    serialize: (value: Request) => Buffer,
    deserialize: (value: Buffer) => Response,
    argument: Request,
    metadata: unknown,
    options: object,
    callback: (error: GrpcServiceError | null, value?: Response) => void,
  ): GrpcCall;
  close(): void;
}

/** The parts of @grpc/grpc-js the check uses. */
export interface GrpcJs {
  Client: new (
    address: string,
    credentials: unknown,
    options?: Record<string, unknown>,
  ) => GrpcClient;
  credentials: { createInsecure(): unknown; createSsl(): unknown };
  Metadata: new () => unknown;
  /** The status enum; its reverse mapping gives a code's name. */
  status: Record<number, string | number>;
}

let loaded: Promise<GrpcJs> | undefined;

/**
 * Imports @grpc/grpc-js on first use and keeps it; rejects with an error telling to install it when it cannot
 * be loaded (and tries again on the next call).
 */
export function loadGrpcJs(
  specifier: string = GRPC_JS_PACKAGE,
): Promise<GrpcJs> {
  if (specifier === GRPC_JS_PACKAGE && loaded) return loaded;
  const loading = importGrpcJs(specifier);
  if (specifier === GRPC_JS_PACKAGE) {
    loaded = loading;
    loading.catch(() => {
      if (loaded === loading) loaded = undefined;
    });
  }
  return loading;
}

async function importGrpcJs(specifier: string): Promise<GrpcJs> {
  let module: { default?: unknown };
  try {
    module = (await import(specifier)) as { default?: unknown };
  } catch (error) {
    throw new Error(grpcClientMissing(specifier, describeThrown(error)), {
      cause: error,
    });
  }
  // A CommonJS package: its exports are the default export when imported from an ES module.
  const grpc = (
    typeof (module as Partial<GrpcJs>).Client === 'function'
      ? module
      : module.default
  ) as GrpcJs | undefined;
  if (typeof grpc?.Client !== 'function') {
    throw new Error(grpcClientMissing(specifier, 'it exports no Client'));
  }
  return grpc;
}
