import type { Socket } from 'node:net';
import {
  connect as tlsConnect,
  type ConnectionOptions,
  type TLSSocket,
} from 'node:tls';
import { MAX_REPLY_CHARS, parseReply, type SmtpReply } from './smtp-reply.js';

/**
 * One SMTP session on a socket the check owns: reads replies as they come, writes commands, and can move to
 * TLS after STARTTLS. Its listeners stay until the socket is destroyed, so an error between two commands never
 * goes unhandled.
 */
export class SmtpConversation {
  private text = '';
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private current: Socket;
  private readonly sockets: Socket[] = [];

  constructor(socket: Socket) {
    this.current = socket;
    this.listen(socket);
  }

  /** The next complete reply; rejects when the connection fails or closes first. */
  async reply(): Promise<SmtpReply> {
    for (;;) {
      const parsed = parseReply(this.text);
      if (parsed) {
        this.text = parsed.rest;
        return parsed.reply;
      }
      if (this.failure) throw this.failure;
      if (this.text.length > MAX_REPLY_CHARS) {
        throw new Error(
          `the server sent more than ${MAX_REPLY_CHARS} characters without ending its reply`,
        );
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Sends one command line. */
  send(command: string): void {
    this.current.write(`${command}\r\n`);
  }

  /** Moves the session to TLS on the same connection (after `220` to STARTTLS), verifying the certificate. */
  async startTls(options: ConnectionOptions): Promise<void> {
    const plain = this.current;
    // From now on the TLS socket reads the connection.
    plain.removeListener('data', this.onData);
    this.text = '';
    const secure: TLSSocket = tlsConnect({ ...options, socket: plain });
    this.current = secure;
    this.listen(secure);
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
      secure.once('close', () =>
        reject(new Error('the connection closed during the TLS handshake')),
      );
    });
  }

  /** Destroys every socket of the session. */
  close(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  private readonly onData = (chunk: Buffer): void => {
    this.text += chunk.toString('latin1');
    this.notify();
  };

  private listen(socket: Socket): void {
    this.sockets.push(socket);
    socket.on('data', this.onData);
    socket.on('error', (error: Error) => this.fail(error));
    socket.on('close', () =>
      this.fail(new Error('the server closed the connection')),
    );
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
