import { SCRUBBED_VALUE } from '../healthcheck.constants.js';

/** A kind of secret recognised by the shape of a value, wherever it appears inside a string. */
export interface SecretDetector {
  /** What the secret is, as the documentation names it. */
  readonly name: string;
  /**
   * Global, linear-time pattern; the group named `secret` is masked and the rest of the match stays readable.
   * The `d` flag gives the group's position.
   */
  readonly pattern: RegExp;
  /** What is masked, in words. */
  readonly masks: string;
  /** A made-up value of the right format; the tests reuse it. */
  readonly example: string;
  /**
   * Literal texts, one of which every match holds (compared case-insensitively when the pattern has the `i`
   * flag): a string holding none of them is not searched.
   */
  readonly hints: readonly string[];
  /** A second look at a match (its `secret` group first) where the pattern alone would raise false alarms. */
  readonly accepts?: MatchFilter;
}

/** Decides whether a match is a secret: its `secret` group (or whole text), then the match itself. */
export type MatchFilter = (secret: string, match: RegExpExecArray) => boolean;

const base64url = (text: string) => Buffer.from(text).toString('base64url');
const base64 = (text: string) => Buffer.from(text).toString('base64');

/** Examples are assembled from parts so that no complete token sits in the source. */
const part = (...pieces: string[]) => pieces.join('');

/** The first part of a JWT decodes to a JSON object naming its algorithm or type. */
function hasJwtHeader(_secret: string, match: RegExpExecArray): boolean {
  const encoded = match.groups?.header ?? '';
  try {
    const header: unknown = JSON.parse(
      Buffer.from(encoded, 'base64url').toString('utf8'),
    );
    return (
      typeof header === 'object' &&
      header !== null &&
      ('alg' in header || 'typ' in header)
    );
  } catch {
    return false;
  }
}

/** Basic credentials decode to printable `user:password`. */
function isBasicCredential(encoded: string): boolean {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  return /^[^:\p{C}]*:\P{C}+$/u.test(decoded) && decoded.length >= 3;
}

/** An opaque bearer token has a digit, or is too long to be a word of a sentence. */
function isOpaqueToken(token: string): boolean {
  return token.length >= 8 && (/\d/.test(token) || token.length >= 20);
}

/** Random keys mix cases and digits; slugs such as `sk-learn-…` do not. */
const isMixedKey = (secret: string) =>
  /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret);

/** Every value detector, applied in this order to every string of a scrubbed value. */
export const SECRET_DETECTORS: readonly SecretDetector[] = [
  {
    name: 'PEM private key',
    hints: ['-----BEGIN '],
    // The body runs to the next `-----` (its END line), so a key without its END line is masked too.
    pattern:
      /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----(?<secret>[^-]*(?:-(?!----)[^-]*)*)/dg,
    masks: 'everything between the BEGIN and END lines',
    example: part(
      '-----BEGIN RSA ',
      'PRIVATE KEY-----\n',
      'MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n',
      'KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm\n',
      '-----END RSA PRIVATE KEY-----',
    ),
  },
  {
    name: 'PGP private key block',
    hints: ['-----BEGIN PGP '],
    // Armor headers, the body and the checksum line all run to the END line, as for PEM.
    pattern:
      /-----BEGIN PGP PRIVATE KEY BLOCK-----(?<secret>[^-]*(?:-(?!----)[^-]*)*)/dg,
    masks: 'everything between the BEGIN and END lines',
    example: part(
      '-----BEGIN PGP ',
      'PRIVATE KEY BLOCK-----\n\n',
      'lQOYBGXfakeBCADFakePgpSecretKeyMaterial0123456789abcdefghijklmnop\n',
      '=FaKe\n',
      '-----END PGP PRIVATE KEY BLOCK-----',
    ),
  },
  {
    name: 'Bearer credentials',
    hints: ['bearer'],
    pattern: /(?<![A-Za-z0-9_-])Bearer[ \t]+(?<secret>[A-Za-z0-9._~+/-]+=*)/dgi,
    masks: 'the credential after `Bearer`',
    example: 'Authorization: Bearer 7c1f0e9a4b2d8c3e6f5a1b0c9d8e7f6a',
    accepts: isOpaqueToken,
  },
  {
    name: 'Basic credentials',
    hints: ['basic'],
    pattern:
      /(?<![A-Za-z0-9_-])Basic[ \t]+(?<secret>[A-Za-z0-9+/]{4,}={0,2})/dgi,
    masks: 'the base64 `user:password` after `Basic`',
    example: `Authorization: Basic ${base64('deploy:n0t-a-real-passw0rd')}`,
    accepts: isBasicCredential,
  },
  {
    name: 'Connection string field',
    hints: ['password', 'pwd', 'accountkey', 'sharedaccesskey'],
    pattern:
      /(?<![A-Za-z0-9_])(?:Password|Pwd|AccountKey|SharedAccessKey)[ \t]*=[ \t]*(?<secret>\{[^}]*\}?|"[^"]*"?|'[^']*'?|[^;\r\n]+)/dgi,
    masks:
      'the value of `Password=`, `Pwd=`, `AccountKey=`, `SharedAccessKey=`, up to the next `;`',
    example:
      'Server=tcp:db.internal,1433;Database=app;User Id=app;Password=Fake-Passw0rd!;Encrypt=true',
  },
  {
    name: 'JWT',
    hints: ['eyJ'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<header>eyJ[A-Za-z0-9_-]*)\.(?<secret>eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)/dg,
    masks: 'the payload and the signature; the header stays',
    example: part(
      base64url('{"alg":"HS256","typ":"JWT"}'),
      '.',
      base64url('{"sub":"user-4711","iat":1767225600}'),
      '.',
      'q3Xn0Vd7kLmT2cYwRbE9aPzU8sGfH1jK5oNiC4vWx6M',
    ),
    accepts: hasJwtHeader,
  },
  {
    name: 'Slack webhook URL',
    hints: ['hooks.slack.com/'],
    pattern:
      /hooks\.slack\.com\/(?:services|workflows|triggers)\/(?:[A-Za-z0-9_]+\/){1,3}(?<secret>[A-Za-z0-9_]{8,})/dg,
    masks: 'the secret last part of the path',
    example: part(
      'https://hooks.slack.com/services/',
      'T0FAKE0000/B0FAKE0000/',
      'FakeWebhookSecret0123abcd',
    ),
  },
  {
    name: 'Slack token',
    hints: ['xox', 'xapp-'],
    pattern:
      /(?<![A-Za-z0-9_-])(?:xox[abeoprs]|xapp)-(?<secret>[A-Za-z0-9-]{10,})/dg,
    masks: 'everything after the `xox?-` prefix',
    example: part(
      'xo',
      'xb-',
      '2718281828-3141592653589-FakeSlackBotToken0123',
    ),
  },
  {
    name: 'GitHub token',
    hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    pattern:
      /(?<![A-Za-z0-9_])(?:gh[pousr]_|github_pat_)(?<secret>[A-Za-z0-9_]{20,})/dg,
    masks:
      'everything after the `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` or `github_pat_` prefix',
    example: part('gh', 'p_', 'FakeGitHubToken0123456789abcdefGHIJ12'),
  },
  {
    name: 'GitLab token',
    hints: ['glpat-'],
    pattern: /(?<![A-Za-z0-9_-])glpat-(?<secret>[A-Za-z0-9_-]{20,})/dg,
    masks: 'everything after `glpat-`',
    example: part('gl', 'pat-', 'FakeGitLab-Token_0123'),
  },
  {
    name: 'npm token',
    hints: ['npm_'],
    pattern: /(?<![A-Za-z0-9_])npm_(?<secret>[A-Za-z0-9]{36,})/dg,
    masks: 'everything after `npm_`',
    example: part('np', 'm_', 'FakeNpmToken0123456789abcdefghijklmno'),
  },
  {
    name: 'Stripe key',
    hints: ['_live_', '_test_'],
    pattern:
      /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_(?<secret>[A-Za-z0-9]{10,})/dg,
    masks: 'everything after `sk_live_`, `rk_live_`, `sk_test_` or `rk_test_`',
    example: part('sk', '_live_', 'FakeStripeKey0123456789ab'),
  },
  {
    name: 'AWS access key id and secret access key',
    hints: ['AKIA', 'ASIA'],
    // A secret access key alone looks like any 40 characters (a git SHA); it is only told by the key id before it.
    pattern:
      /(?<![A-Z0-9])(?:AKIA|ASIA)(?<secret>[A-Z0-9]{16}(?:[ \t:,;=|'"]|\r?\n|\\[nt]){1,6}[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dg,
    masks:
      'the key id after `AKIA`/`ASIA`, the separator and the 40-character secret access key that follows it',
    example: part(
      'AK',
      'IA',
      'Z7Q4FAKE2WXY5KEY ',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKEKEY012',
    ),
  },
  {
    name: 'AWS access key id',
    hints: ['AKIA', 'ASIA'],
    pattern: /(?<![A-Z0-9])(?:AKIA|ASIA)(?<secret>[A-Z0-9]{16})(?![A-Z0-9])/dg,
    masks: 'the 16 characters after `AKIA` or `ASIA`',
    example: part('AK', 'IA', 'Z7Q4FAKE2WXY5KEY'),
  },
  {
    name: 'Google API key',
    hints: ['AIza'],
    pattern: /(?<![A-Za-z0-9_-])AIza(?<secret>[A-Za-z0-9_-]{35})/dg,
    masks: 'the 35 characters after `AIza`',
    example: part('AI', 'za', 'SyFakeGoogleApiKey_0123456789-abcde'),
  },
  {
    name: 'SendGrid key',
    hints: ['SG.'],
    pattern:
      /(?<![A-Za-z0-9_.-])SG\.(?<secret>[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,})/dg,
    masks: 'everything after `SG.`',
    example: part(
      'SG',
      '.FakeSendGridKey_01234',
      '.FakeSendGridSecret-0123456789abcdefghijklmnopq',
    ),
  },
  {
    name: 'OpenAI / Anthropic style key',
    hints: ['sk-'],
    pattern: /(?<![A-Za-z0-9_-])sk-(?<secret>[A-Za-z0-9_-]{20,})/dg,
    masks: 'everything after `sk-` (`sk-proj-…`, `sk-ant-…` included)',
    example: part('sk', '-proj-', 'FakeOpenAiKey0123456789abcdefghijklmn'),
    accepts: isMixedKey,
  },
];

/**
 * Masks every match of a global pattern with the `d` flag: its `secret` group when it has one, else the whole
 * match; `accepts` can turn a match down. Empty matches mask nothing.
 */
export function maskMatches(
  text: string,
  pattern: RegExp,
  accepts?: MatchFilter,
): string {
  let masked = '';
  let kept = 0;
  pattern.lastIndex = 0;
  for (
    let match = pattern.exec(text);
    match !== null;
    match = pattern.exec(text)
  ) {
    const [start, end] = match.indices?.groups?.secret ?? [
      match.index,
      match.index + match[0].length,
    ];
    if (start === end) {
      if (match[0] === '') pattern.lastIndex++;
      continue;
    }
    if (accepts && !accepts(text.slice(start, end), match)) continue;
    masked += text.slice(kept, start) + SCRUBBED_VALUE;
    kept = end;
  }
  return kept === 0 ? text : masked + text.slice(kept);
}

/** Whether `text` holds one of the detector's hints, so that its pattern may match. */
export function mayMatch(
  detector: SecretDetector,
  text: string,
  lowerText: string,
): boolean {
  const ignoreCase = detector.pattern.ignoreCase;
  return detector.hints.some((hint) =>
    ignoreCase ? lowerText.includes(hint) : text.includes(hint),
  );
}

/** Every hint of the built-in detectors in one case-insensitive test: most strings hold none. */
const ANY_HINT = new RegExp(
  SECRET_DETECTORS.flatMap(({ hints }) => hints)
    .map((hint) => hint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
  'i',
);

/** Masks the secret part of every value recognised by one of the detectors. */
export function maskSecrets(
  text: string,
  detectors: readonly SecretDetector[] = SECRET_DETECTORS,
): string {
  if (detectors === SECRET_DETECTORS && !ANY_HINT.test(text)) return text;
  let result = text;
  let lower = text.toLowerCase();
  for (const detector of detectors) {
    if (!mayMatch(detector, result, lower)) continue;
    const masked = maskMatches(result, detector.pattern, detector.accepts);
    if (masked !== result) lower = (result = masked).toLowerCase();
  }
  return result;
}
