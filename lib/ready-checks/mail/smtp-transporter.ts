import { describeTarget } from '../shared/describe-target.js';
import { hasMethods } from '../shared/has-methods.js';

/** The parts of a nodemailer transporter (what `createTransport()` returns) the SMTP check uses. */
export interface SmtpTransporterLike {
  verify(): Promise<unknown>;
  sendMail(...args: never[]): unknown;
  /** nodemailer's transport (SMTPTransport, SMTPPool), whose `options` tell where it connects. */
  readonly transporter?: object;
}

/** What the SMTP check accepts as `transporter`, for messages. */
export const SMTP_TRANSPORTER_EXPECTED =
  'a nodemailer transporter (what createTransport() returns)';

/** Whether `value` looks like a nodemailer transporter. */
export function isSmtpTransporter(
  value: unknown,
): value is SmtpTransporterLike {
  return hasMethods(value, ['verify', 'sendMail']);
}

/** `smtp at mail.example.com:587`, from the transport's options; credentials are never read. */
export function transporterTarget(transporter: SmtpTransporterLike): string {
  const transport = (transporter.transporter ?? {}) as { options?: unknown };
  const options = (transport.options ?? {}) as Record<string, unknown>;
  const secure = options.secure === true;
  return describeTarget('smtp', {
    host: options.host ?? 'localhost',
    port: options.port ?? (secure ? 465 : 587),
  });
}
