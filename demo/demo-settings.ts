import type { ChatTransport } from './chat-endpoint.js';

/** What the demo's pages and gateways say about the app they are part of. */
export interface DemoSettings {
  /** The chat's socket: plain WebSockets at `/chat` or Socket.IO. */
  readonly transport: ChatTransport;
  /** `false`: behind Nest's plain adapter, the vulnerable control. */
  readonly guarded: boolean;
  /**
   * Added to the gateways' log context (`ChatGateway (unguarded control)`), so that two chats
   * in one console can be told apart; none by default.
   */
  readonly logLabel?: string | undefined;
}

/** Injection token of the app's `DemoSettings`. */
export const DEMO_SETTINGS = Symbol('DEMO_SETTINGS');

/** The gateway's log context: its name, and the app's label if it has one. */
export function gatewayLogContext(gateway: string, settings: DemoSettings): string {
  return settings.logLabel === undefined ? gateway : `${gateway} (${settings.logLabel})`;
}
