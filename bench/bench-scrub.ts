/**
 * Times the scrubbing of the environment dump: a realistic dump of 2,000 environment variables, and each secret
 * detector (and the URL rule) on 100 KB inputs built to make a backtracking pattern slow.
 */
import { performance } from 'node:perf_hooks';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** What the bench needs from the scrubbing modules (the built ones by default). */
export interface ScrubbingModules {
  createScrubber(
    extraPatterns?: ReadonlyArray<string | RegExp>,
  ): (value: Json) => Json;
  SECRET_DETECTORS: ReadonlyArray<{
    name: string;
    pattern: RegExp;
    example: string;
    accepts?: (secret: string, match: RegExpExecArray) => boolean;
  }>;
  maskMatches(
    text: string,
    pattern: RegExp,
    accepts?: (secret: string, match: RegExpExecArray) => boolean,
  ): string;
}

/** A URL with every part the URL rule reads: userinfo with `@` in the password, port, query, fragment. */
export const URL_SAMPLE =
  'postgres://app:p@ss/w#rd@db.internal:5432/app?sslmode=require&password=x#access_token=y';

/**
 * Inputs of about `size` characters that make backtracking patterns slow: the sample repeated (with and without
 * spaces), its prefixes repeated (near misses), the sample without its last character repeated, and each of
 * its characters repeated.
 */
export function adversarialInputs(sample: string, size = 100_000): string[] {
  const fill = (unit: string) =>
    unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const cuts = new Set(
    [1, 2, 3, 4, 5, 8, Math.floor(sample.length / 2), sample.length - 1].filter(
      (cut) => cut > 0 && cut < sample.length,
    ),
  );
  return [
    fill(sample),
    fill(`${sample} `),
    fill(`${sample.slice(0, -1)}!`),
    ...[...cuts].map((cut) => fill(sample.slice(0, cut))),
    ...[...new Set(sample)].map((character) => fill(character)),
  ];
}

/**
 * `count` variables as a real process has them: paths, flags, URLs, ids, a secret-shaped value every 25
 * variables and a key naming a secret every 50.
 */
export function environmentOf(
  count: number,
  secrets: readonly string[],
): Record<string, string> {
  const env: Record<string, string> = {};
  const ordinary = [
    (index: number) => `/usr/local/lib/app-${index}/bin:/usr/bin:/bin`,
    (index: number) => String(3000 + index),
    () => 'true',
    (index: number) => `https://service-${index}.internal.example.com/api/v2`,
    (index: number) =>
      `postgres://app:pw-${index}@db-${index}.internal:5432/app`,
    (index: number) =>
      `0f1e2d3c-4b5a-4978-8a6b-${String(index).padStart(12, '0')}`,
    (index: number) => `2026-11-${String((index % 28) + 1).padStart(2, '0')}`,
    (index: number) => `feature flag ${index} is on for the eu-west region`,
  ];
  for (let index = 0; index < count; index++) {
    const key =
      index % 50 === 10 ? `SERVICE_${index}_TOKEN` : `APP_SETTING_${index}`;
    env[key] =
      index % 25 === 0
        ? `value ${secrets[(index / 25) % secrets.length]} end`
        : ordinary[index % ordinary.length](index);
  }
  return env;
}

function time(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/** The fastest of three runs, so that a collection or a compilation does not count as the pattern's cost. */
const best = (run: () => unknown) => Math.min(time(run), time(run), time(run));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function builtModules(): Promise<ScrubbingModules> {
  const load = (file: string) =>
    import(
      new URL(`../../dist/esm/environment/${file}`, import.meta.url).href
    ) as Promise<Partial<ScrubbingModules>>;
  const [scrub, detectors] = await Promise.all([
    load('scrub.js'),
    load('secret-detectors.js'),
  ]);
  return { ...scrub, ...detectors } as ScrubbingModules;
}

/** Times scrubbing and answers the Markdown of the "Scrubbing" section. */
export async function benchScrub({
  quick = false,
  modules,
}: { quick?: boolean; modules?: ScrubbingModules } = {}): Promise<string[]> {
  const { createScrubber, SECRET_DETECTORS, maskMatches } =
    modules ?? (await builtModules());
  const scrubber = createScrubber();
  const secrets = SECRET_DETECTORS.map((detector) => detector.example);
  const dump: Json = {
    process: {
      env: environmentOf(2_000, secrets),
      argv: ['node', 'dist/main.js', '--db-password', '-abc', '--port', '80'],
    },
  };
  const runs = quick ? 5 : 30;
  scrubber(dump);
  const dumpMs = median(
    Array.from({ length: runs }, () => time(() => scrubber(dump))),
  );
  const rows = SECRET_DETECTORS.map((detector) => {
    const inputs = adversarialInputs(detector.example);
    const worst = Math.max(
      ...inputs.map((input) =>
        best(() => maskMatches(input, detector.pattern, detector.accepts)),
      ),
    );
    return { name: detector.name, inputs: inputs.length, worst };
  });
  const urlInputs = adversarialInputs(URL_SAMPLE);
  rows.push({
    name: 'URL rule (whole scrubber)',
    inputs: urlInputs.length,
    worst: Math.max(...urlInputs.map((input) => best(() => scrubber(input)))),
  });
  const everything = SECRET_DETECTORS.flatMap((detector) =>
    adversarialInputs(detector.example),
  );
  const wholeWorst = Math.max(
    ...everything.map((input) => best(() => scrubber(input))),
  );
  return [
    '## Scrubbing',
    '',
    `A dump of 2,000 environment variables (paths, numbers, URLs with passwords, UUIDs, dates, sentences, and ` +
      `${Math.ceil(2_000 / 25)} secret-shaped values), scrubbed with the default rules: ${dumpMs.toFixed(2)} ms, ` +
      `${((dumpMs * 1000) / 2_000).toFixed(1)} µs per variable (median of ${runs} runs).`,
    '',
    'Each detector alone on 100 KB inputs built to trap a backtracking pattern (its example repeated, its ' +
      'prefixes repeated, each of its characters repeated); the slowest input of each, best of three runs:',
    '',
    '| detector | inputs | slowest ms |',
    '| --- | ---: | ---: |',
    ...rows.map(
      (row) => `| ${row.name} | ${row.inputs} | ${row.worst.toFixed(2)} |`,
    ),
    '',
    `The whole scrubber (URL rule, every detector) on all ${everything.length} of those inputs: slowest ` +
      `${wholeWorst.toFixed(2)} ms.`,
  ];
}
