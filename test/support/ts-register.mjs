// `node --import ./test/support/ts-register.mjs server.ts`: runs TypeScript with decorator
// metadata (see ts-hooks.mjs).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
