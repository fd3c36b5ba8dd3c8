import { Logger } from '@nestjs/common';
import { startAttackerServer } from './attacker-server.js';
import { type ChatTransport, chatEndpoint } from './chat-endpoint.js';
import { createDemoApp } from './create-demo-app.js';
import { SessionStore } from './session.store.js';

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

/** `both` (the default): the guarded chat and the unguarded control, side by side. */
function chatsFromEnv(): 'both' | 'on' | 'off' {
  const text = process.env.DEMO_GUARD || 'both';
  if (text === 'both' || text === 'on' || text === 'off') return text;
  throw new Error(`DEMO_GUARD=${JSON.stringify(text)} is not 'both', 'on' or 'off'.`);
}

interface Chat {
  readonly guarded: boolean;
  readonly appPort: number;
  readonly attackerPort: number;
}

const host = process.env.DEMO_HOST || 'localhost';
const transport = transportFromEnv();
const chats = chatsFromEnv();
const appPort = portFromEnv('DEMO_PORT', 3000);
const attackerPort = portFromEnv('ATTACKER_PORT', 3001);
const started: Chat[] = [];
if (chats !== 'off') started.push({ guarded: true, appPort, attackerPort });
if (chats === 'off') started.push({ guarded: false, appPort, attackerPort });
if (chats === 'both') {
  started.push({
    guarded: false,
    appPort: portFromEnv('CONTROL_PORT', 3002),
    attackerPort: portFromEnv('CONTROL_ATTACKER_PORT', 3003),
  });
}

// One login serves both chats: they share the session store, and the browser sends the
// localhost cookie to every port.
const sessions = new SessionStore();
for (const chat of started) {
  await createDemoApp({
    port: chat.appPort,
    host,
    transport,
    guarded: chat.guarded,
    sessions,
    logLabel: chat.guarded ? undefined : 'UNGUARDED control',
  });
  const target = chatEndpoint(transport, `http://${host}:${chat.appPort}`);
  await startAttackerServer(chat.attackerPort, host, target);
}

const adapters =
  transport === 'ws'
    ? { guarded: 'OriginWsAdapter', plain: 'WsAdapter' }
    : { guarded: 'OriginIoAdapter', plain: 'IoAdapter' };
const url = (port: number, path = '') => `http://${host}:${port}${path}`;
const COLUMN = url(65535, '/sandboxed').length + 2;

/** A URL and what it shows, the description in a column of its own. */
function row(link: string, ...description: string[]): string[] {
  const indent = ' '.repeat(4 + COLUMN);
  return description.map((line, i) =>
    i === 0 ? `    ${link.padEnd(COLUMN)}${line}` : `${indent}${line}`,
  );
}

function instructions(chat: Chat): string[] {
  if (!chat.guarded) {
    return [
      `  UNGUARDED CONTROL, Nest's plain ${adapters.plain} (no origin check: the hole):`,
      ...row(url(chat.appPort), 'the same chat, unprotected.'),
      ...row(
        url(chat.attackerPort),
        'the same attacker page: it opens the socket with your',
        'cookie and shows your private inbox (HIJACKED). This',
        'console logs no refusal, only "[ChatGateway (UNGUARDED',
        'control)] Socket opened ...".',
      ),
    ];
  }
  return [
    `  GUARDED by nestjs-origin-guard (${adapters.guarded}):`,
    ...row(url(chat.appPort), 'the chat (an allowed origin): log in and chat.'),
    ...row(
      url(chat.attackerPort),
      "an attacker's page on another origin of the same site:",
      'your browser sends it your chat cookie, yet its socket is',
      'refused with 403, and this console logs "Refused',
      'WebSocket handshake: reason=not_allowed ...".',
    ),
    ...row(
      url(chat.attackerPort, '/sandboxed'),
      'the same attack from a sandboxed iframe ("Origin: null"):',
      'refused too.',
    ),
    ...(transport === 'socket.io'
      ? row(
          url(chat.attackerPort, '/jsonp'),
          'no socket at all: a <script> tag loads the JSONP polling',
          'handshake to steal the session id: refused ("reason=jsonp").',
        )
      : []),
  ];
}

new Logger('Demo').log(
  [
    `nestjs-origin-guard demo, chat over ${transport}: ${
      chats === 'both'
        ? 'the guarded chat and an unguarded control, side by side.'
        : chats === 'on'
          ? 'the guarded chat only.'
          : 'the unguarded control only.'
    }`,
    started.length > 1
      ? '  Log in on either chat (one login serves both), then open each attacker page:'
      : '  Log in on the chat, then open the attacker page:',
    ...started.flatMap(instructions),
    '  Ports: DEMO_PORT, ATTACKER_PORT (guarded), CONTROL_PORT, CONTROL_ATTACKER_PORT (control);',
    '  host: DEMO_HOST. DEMO_GUARD=on runs only the guarded chat, DEMO_GUARD=off only the control',
    '  (on DEMO_PORT); DEMO_TRANSPORT=socket.io for the Socket.IO chat. Stop with Ctrl+C.',
  ].join('\n'),
);
