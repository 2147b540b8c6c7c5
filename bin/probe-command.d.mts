// Types of probe-command.mjs, for the tests and the benchmark written in TypeScript.
export declare const COMMAND_NAME: 'nestjs-healthcheck-probe';
export declare const DEFAULT_TIMEOUT_MS: number;
export declare const MAX_TIMEOUT_MS: number;
export declare const MAX_BODY_BYTES: number;
export declare const EXIT_HEALTHY: 0;
export declare const EXIT_UNHEALTHY: 1;
export declare const EXIT_USAGE: 2;
export declare const USAGE: string;

export type ProbeArguments =
  | { url: URL; timeoutMs: number; help?: undefined; error?: undefined }
  | { help: true; url?: undefined; timeoutMs?: undefined; error?: undefined }
  | { error: string; url?: undefined; timeoutMs?: undefined; help?: undefined };

export interface ProbeAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
  truncated: boolean;
}

export interface ProbeOutcome {
  exitCode: 0 | 1;
  line: string;
}

export declare function parseProbeArguments(
  args: readonly string[],
): ProbeArguments;
export declare function failedCheckNames(
  contentType: string | undefined,
  body: string,
): string[] | undefined;
export declare function warningCheckNames(
  contentType: string | undefined,
  body: string,
): string[];
export declare function degradedCheckNames(
  contentType: string | undefined,
  body: string,
): string[];
export declare function summarizeAnswer(answer: ProbeAnswer): string;
export declare function summarizeFailure(error: unknown): string;
export declare function summarizeTimeout(
  timeoutMs: number,
  status: number | undefined,
): string;
export declare function summarizeCutOff(status: number): string;
export declare function isHealthyStatus(status: number): boolean;
export declare function probe(
  url: URL,
  timeoutMs: number,
): Promise<ProbeOutcome>;
export declare function runProbeCommand(
  args: readonly string[],
): Promise<ProbeOutcome & { exitCode: 0 | 1 | 2; stream: 'stdout' | 'stderr' }>;
