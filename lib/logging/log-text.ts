/** C0 controls, DEL, C1 controls and the Unicode line and paragraph separators: what can end or forge a log line. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_TEST = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const NAMED: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function visible(character: string): string {
  const named = NAMED[character];
  if (named !== undefined) return named;
  const code = character.charCodeAt(0);
  return code > 0xff
    ? `\\u${code.toString(16).padStart(4, '0')}`
    : `\\x${code.toString(16).padStart(2, '0')}`;
}

/**
 * Writes every control character of `text` as a visible escape (`\n`, `\r`, `\t`, `\x1b`, `\u2028`, …) so that
 * a value interpolated into a log message stays on its line and cannot start a forged one; linear-time, and
 * the same string when there is nothing to escape.
 */
export function escapeLogText(text: string): string {
  return CONTROL_TEST.test(text) ? text.replace(CONTROL, visible) : text;
}
