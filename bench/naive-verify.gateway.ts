import { WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import { BENCH_ALLOWED_ORIGINS } from './bench-origins.js';

const allowed = new Set(BENCH_ALLOWED_ORIGINS);

/**
 * The refusal an application could write without this library: `ws`'s `verifyClient` with a
 * `Set` look-up of `Origin` and a 403. It checks exact origins only (the wildcard entry never
 * matches), reads the joined `req.headers.origin` and logs nothing: the floor a refusal can
 * cost on Nest's `WsAdapter`.
 */
@WebSocketGateway({
  verifyClient: (
    info: { origin: string; req: IncomingMessage },
    done: (ok: boolean, code?: number) => void,
  ) => (allowed.has(info.origin) ? done(true) : done(false, 403)),
})
export class NaiveVerifyGateway {
  /** Nest subscribes no handler; the class exists for its decorator. */
  readonly name = 'naive-verify';
}
