// Builds dist/: the ES module build (dist/esm), the CommonJS build (dist/cjs) and the `require` entry.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('dist', { recursive: true, force: true });
for (const project of ['tsconfig.build.json', 'tsconfig.cjs.json']) {
  execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
}
writeFileSync(
  'dist/cjs/package.json',
  `${JSON.stringify({ type: 'commonjs' })}\n`,
);
copyFileSync('lib/require.cjs', 'dist/require.cjs');
