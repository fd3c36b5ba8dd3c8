import { OriginGuardConfigError } from '../policy/origin-guard-config.error.js';

/** The path engine.io serves, as it normalizes it: Socket.IO's default, one trailing slash. */
export function engineIoPath(path: unknown): string {
  const base = typeof path === 'string' && path !== '' ? path : '/socket.io';
  return `${base.replace(/\/$/, '')}/`;
}

/**
 * The engines one adapter has started, by port and engine path. Nest starts one engine per
 * distinct `path` option, so `{}` and `{ path: '/socket.io' }` get two engines on one path:
 * the first answers every request (the second's gateways are never reached, or the process
 * crashes on an upgrade), and each engine would enforce only its own gateways' policy. Such a
 * second engine fails at bootstrap instead.
 */
export class EnginePaths {
  private readonly started = new Map<
    string,
    { readonly path: unknown; readonly gateways: readonly string[] }
  >();

  /** Records that an engine starts on `port` for the path option `path`. */
  claim(port: number, path: unknown, gateways: readonly string[]): void {
    const enginePath = engineIoPath(path);
    const key = `${port}|${enginePath}`;
    const existing = this.started.get(key);
    if (existing === undefined) {
      this.started.set(key, { path, gateways });
      return;
    }
    const server = port === 0 ? "the app's HTTP server" : `port ${port}`;
    const named = [...new Set([...existing.gateways, ...gateways])].toSorted();
    throw new OriginGuardConfigError('withOriginCheck', [
      {
        at: named.length === 0 ? '(gateways without origin policy)' : named.join(', '),
        value: `path options ${describePath(existing.path)} and ${describePath(path)} on ${server}`,
        problem: `would start two Socket.IO engines on one engine path, "${enginePath}", and one path can serve only one engine`,
        fix: 'write the same path option on every gateway of that engine (or omit it on all of them)',
      },
    ]);
  }
}

function describePath(path: unknown): string {
  return path === undefined ? '(omitted)' : JSON.stringify(path);
}
