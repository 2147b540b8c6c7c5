import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { StatusChangeTracker } from '../../lib/checks/status-change.tracker.js';
import {
  checkRecovered,
  checkStartedFailing,
  grpcWatchFailed,
  handlerFailed,
  healthEventListenerFailed,
  healthRouteFailed,
  nonStaticProvider,
  readyCheckCloseFailed,
  statusListenerFailed,
} from '../../lib/healthcheck.messages.js';
import { escapeLogText } from '../../lib/logging/log-text.js';

const FORGED =
  'timeout\n[Nest] 4711  - 01/01/2026, 10:00:00 AM     LOG [Healthcheck] Health check "db" has recovered';

/** Every character that could end a log line or steer a terminal. */
const CONTROLS = [
  ...Array.from({ length: 0x20 }, (_, code) => code),
  ...Array.from({ length: 0x21 }, (_, code) => 0x7f + code),
  0x2028,
  0x2029,
].map((code) => String.fromCharCode(code));

describe('escapeLogText', () => {
  it.each([
    ['a\nb', 'a\\nb'],
    ['a\r\nb', 'a\\r\\nb'],
    ['a\tb', 'a\\tb'],
    ['\u001b[31mred\u001b[0m', '\\x1b[31mred\\x1b[0m'],
    ['nul\u0000', 'nul\\x00'],
    ['del\u007f', 'del\\x7f'],
    ['c1\u0085next-line\u009b', 'c1\\x85next-line\\x9b'],
    ['line\u2028para\u2029', 'line\\u2028para\\u2029'],
  ])('writes the controls of %j as visible escapes', (input, expected) => {
    expect(escapeLogText(input)).toBe(expected);
  });

  it('leaves no control character, whichever one it was given', () => {
    for (const control of CONTROLS) {
      const escaped = escapeLogText(`a${control}b`);
      expect(escaped).toMatch(/^a\\[a-z0-9]+b$/);
    }
  });

  it.each([
    '',
    'plain text',
    'postgres://db:5432/shop',
    'C:\\Program Files\\node',
    'unicode: héllo, 日本語, emoji 🙂',
  ])('returns the very same string when nothing is to escape: %j', (text) => {
    expect(escapeLogText(text)).toBe(text);
  });

  it('escapes a megabyte of line breaks in linear time', () => {
    const input = '\n'.repeat(1_000_000);
    const started = performance.now();
    const escaped = escapeLogText(input);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(escaped).toHaveLength(2_000_000);
  });
});

describe('log messages with user-controlled text', () => {
  it('keep a forged "has recovered" line inside one line', () => {
    const message = checkStartedFailing('db', FORGED);
    expect(message.split(/[\n\r\u2028\u2029]/)).toHaveLength(1);
    expect(message).toContain('timeout\\n[Nest]');
  });

  it.each([
    ['checkStartedFailing name', checkStartedFailing('a\nb', 'out')],
    ['checkRecovered', checkRecovered('a\nb')],
    ['statusListenerFailed', statusListenerFailed('a\nb')],
    ['healthEventListenerFailed', healthEventListenerFailed('a\nb')],
    ['grpcWatchFailed service', grpcWatchFailed('a\nb', 'x')],
    ['grpcWatchFailed message', grpcWatchFailed('x', 'a\nb')],
    ['readyCheckCloseFailed source', readyCheckCloseFailed('a\nb', 'x')],
    ['readyCheckCloseFailed reason', readyCheckCloseFailed('x', 'a\nb')],
    ['healthRouteFailed', healthRouteFailed('a\nb')],
    ['handlerFailed handler', handlerFailed('a\nb', 'x')],
    ['handlerFailed message', handlerFailed('x', 'a\nb')],
    ['nonStaticProvider', nonStaticProvider('A\nB', 'm\r', 'HealthCheck')],
  ])('%s: escapes the interpolated value', (_name, message) => {
    expect(message).not.toMatch(/[\n\r]/);
    expect(message).toMatch(/a\\nb|A\\nB/);
  });

  it('the status tracker logs a failing output with a newline as a single line', () => {
    const warn = jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation(() => undefined);
    try {
      new StatusChangeTracker().checkResult('db', undefined, {
        passed: false,
        output: FORGED,
      } as never);
      expect(warn).toHaveBeenCalledTimes(1);
      const logged = String(warn.mock.calls[0][0]);
      expect(logged).not.toMatch(/[\n\r]/);
      expect(logged).toBe(
        `Health check "db" is failing: ${FORGED.replace('\n', '\\n')}`,
      );
    } finally {
      warn.mockRestore();
    }
  });
});
