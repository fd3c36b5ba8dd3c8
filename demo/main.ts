import { Logger } from '@nestjs/common';
import { startAttackerServer } from './attacker-server.js';
import { type ChatTransport, chatEndpoint } from './chat-endpoint.js';
import { createDemoApp } from './create-demo-app.js';

function portFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name}=${JSON.stringify(text)} is not a port number (1-65535).`);
  }
  return port;
}

function transportFromEnv(): ChatTransport {
  const text = process.env.DEMO_TRANSPORT || 'ws';
  if (text === 'ws' || text === 'socket.io') return text;
  throw new Error(
    `DEMO_TRANSPORT=${JSON.stringify(text)} is not a transport ('ws' or 'socket.io').`,
  );
}

function guardedFromEnv(): boolean {
  const text = process.env.DEMO_GUARD || 'on';
  if (text === 'on' || text === 'off') return text === 'on';
  throw new Error(`DEMO_GUARD=${JSON.stringify(text)} is not 'on' or 'off'.`);
}

const host = process.env.DEMO_HOST || 'localhost';
const transport = transportFromEnv();
const appPort = portFromEnv('DEMO_PORT', 3000);
const attackerPort = portFromEnv('ATTACKER_PORT', 3001);
const guarded = guardedFromEnv();

await createDemoApp({ port: appPort, host, transport, guarded });
await startAttackerServer(attackerPort, host, chatEndpoint(transport, `http://${host}:${appPort}`));

new Logger('Demo').log(
  [
    `nestjs-origin-guard demo is running (chat over ${transport}${guarded ? '' : ", UNGUARDED: Nest's plain adapter"}).`,
    `  1. Open http://${host}:${appPort}  : the chat (an allowed origin). Log in and chat.`,
    `  2. Open http://${host}:${attackerPort}  : an attacker's page on another origin of the same site.`,
    '     Your browser sends it your chat cookie, yet its socket is refused with 403;',
    '     this console logs the refusal ("Refused WebSocket handshake: reason=not_allowed ... remoteAddress=... userAgent=...").',
    `  3. Open http://${host}:${attackerPort}/sandboxed  : the same attack from a sandboxed iframe,`,
    '     whose handshake says "Origin: null": refused too ("reason=null").',
    ...(transport === 'socket.io'
      ? [
          `  4. Open http://${host}:${attackerPort}/jsonp  : no socket at all, a <script> tag loads engine.io's`,
          '     JSONP polling handshake (your cookie, no Origin) to steal the session id: refused ("reason=jsonp").',
        ]
      : []),
    '  Ports: DEMO_PORT and ATTACKER_PORT (host: DEMO_HOST); DEMO_TRANSPORT=socket.io for the',
    '  Socket.IO chat; DEMO_GUARD=off for the unprotected control. Stop with Ctrl+C.',
  ].join('\n'),
);
