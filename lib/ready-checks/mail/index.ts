import { smtp } from './smtp.check.js';

export {
  checkSmtp,
  type SmtpCheckOptions,
  type SmtpServerOptions,
} from './smtp.check.js';
export {
  isSmtpTransporter,
  type SmtpTransporterLike,
} from './smtp-transporter.js';

/** The mail family of the `checks` namespace: an SMTP server's EHLO, or a nodemailer transporter's verify(). */
export const mailChecks = { smtp };
