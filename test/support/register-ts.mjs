// `node --import ./test/support/register-ts.mjs app.ts`: runs TypeScript sources (see ts-loader.mjs).
import { register } from 'node:module';

register('./ts-loader.mjs', import.meta.url);
