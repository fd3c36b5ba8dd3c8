// A separate entry point (`nestjs-origin-guard/socket.io`), so that importing the package root
// never loads `socket.io` or `@nestjs/platform-socket.io`, which a `ws` application need not
// install.
export { OriginIoAdapter } from './origin-io.adapter.js';
export { type IoAdapterClass, withOriginCheck } from './with-origin-check.js';
