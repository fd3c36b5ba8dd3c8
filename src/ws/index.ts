// A separate entry point (`nestjs-origin-guard/ws`), so that importing the package root never
// loads `@nestjs/platform-ws`, which a Socket.IO application need not install.
export { OriginWsAdapter } from './origin-ws.adapter.js';
