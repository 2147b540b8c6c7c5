import type { Socket } from 'node:net';

interface SecureConnector {
  connect(socket: Socket): Promise<unknown>;
}

interface ConnectorFactory {
  _createSecureConnector?: (...args: unknown[]) => SecureConnector;
}

/** The sockets a channel connected; once destroyed, a socket that connects later is destroyed at once. */
export class ChannelSockets {
  private readonly sockets = new Set<Socket>();
  private closed = false;

  add(socket: Socket): void {
    if (this.closed) socket.destroy();
    else this.sockets.add(socket);
  }

  destroyAll(): void {
    this.closed = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}

/**
 * Channel credentials that behave as `credentials` and add every socket the channel connects to `sockets`, so the
 * run can destroy them: @grpc/grpc-js only closes a connection gracefully, which never ends while a frozen
 * server has not finished the HTTP/2 handshake. Relies on grpc-js's internal `_createSecureConnector`
 * (1.10 and later); with a version without it, `credentials` are returned as they are.
 */
export function socketTrackingCredentials(
  credentials: unknown,
  sockets: ChannelSockets,
): unknown {
  const base = credentials as ConnectorFactory;
  const create = base._createSecureConnector;
  if (typeof create !== 'function') return credentials;
  const tracking = Object.create(base) as ConnectorFactory;
  tracking._createSecureConnector = (...args: unknown[]) => {
    const connector = create.apply(base, args);
    const connect = connector.connect.bind(connector);
    return Object.assign(Object.create(connector) as SecureConnector, {
      connect(socket: Socket) {
        sockets.add(socket);
        return connect(socket);
      },
    });
  };
  return tracking;
}
