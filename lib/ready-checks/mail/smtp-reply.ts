import { maskCredentials } from '../shared/describe-client-error.js';

/** One SMTP reply: its code and the text of its lines (one line, or several for a multi-line reply). */
export interface SmtpReply {
  code: number;
  lines: string[];
}

/** The most a reply may take before the server is judged not to speak SMTP. */
export const MAX_REPLY_CHARS = 64 * 1024;

const REPLY_LINE = /^(\d{3})([ -]|$)(.*)$/;

/**
 * Reads the first complete reply from what the server sent so far (RFC 5321 4.2: `250-first`, ..., `250 last`):
 * the reply and what follows it, or undefined while it is incomplete. Throws on a line that is not a reply.
 */
export function parseReply(
  text: string,
): { reply: SmtpReply; rest: string } | undefined {
  const lines: string[] = [];
  let offset = 0;
  for (;;) {
    const end = text.indexOf('\n', offset);
    if (end === -1) return undefined;
    const line = text.slice(offset, end).replace(/\r$/, '');
    offset = end + 1;
    const match = REPLY_LINE.exec(line);
    if (!match) {
      throw new Error(
        `the server does not speak SMTP: it sent ${JSON.stringify(line.slice(0, 80))}`,
      );
    }
    lines.push(match[3]);
    if (match[2] !== '-') {
      return {
        reply: { code: Number(match[1]), lines },
        rest: text.slice(offset),
      };
    }
  }
}

/** `250 mail.example.com Hello` or `554 5.7.1 no service`: a reply as quoted in an output, its first line only. */
export function describeReply(reply: SmtpReply): string {
  // Masked before it is cut: a URL cut before its `@` would no longer be recognised.
  const first = maskCredentials(reply.lines[0] ?? '');
  const text = first.length > 120 ? `${first.slice(0, 120)}…` : first;
  return JSON.stringify(
    text === '' ? String(reply.code) : `${reply.code} ${text}`,
  );
}

/** Whether an EHLO reply lists the extension `keyword` (e.g. `STARTTLS`). */
export function offersExtension(reply: SmtpReply, keyword: string): boolean {
  return reply.lines
    .slice(1)
    .some((line) => line.trim().split(/\s+/)[0]?.toUpperCase() === keyword);
}
