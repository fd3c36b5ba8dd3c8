import { Logger } from '@nestjs/common';
import { startAttackerServer } from './attacker-server.js';
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

const host = process.env.DEMO_HOST || 'localhost';
const appPort = portFromEnv('DEMO_PORT', 3000);
const attackerPort = portFromEnv('ATTACKER_PORT', 3001);

await createDemoApp({ port: appPort, host });
await startAttackerServer(attackerPort, host, `ws://${host}:${appPort}/chat`);

new Logger('Demo').log(
  [
    'nestjs-origin-guard demo is running.',
    `  1. Open http://${host}:${appPort}  : the chat (an allowed origin). Log in and chat.`,
    `  2. Open http://${host}:${attackerPort}  : an attacker's page on another origin of the same site.`,
    '     Your browser sends it your chat cookie, yet its socket is refused with 403;',
    '     this console logs the refusal ("Refused WebSocket handshake: reason=not_allowed ...").',
    `  3. Open http://${host}:${attackerPort}/sandboxed  : the same attack from a sandboxed iframe,`,
    '     whose handshake says "Origin: null": refused too ("reason=null").',
    '  Ports: DEMO_PORT and ATTACKER_PORT (host: DEMO_HOST). Stop with Ctrl+C.',
  ].join('\n'),
);
