import type { IncomingMessage } from 'node:http';
import { Inject, Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { WebSocket, WebSocketServer as WsServer } from 'ws';
import { WS_CHAT_PATH } from './chat-endpoint.js';
import { describeConnection } from './connection-log.js';
import { DEMO_SETTINGS, type DemoSettings, gatewayLogContext } from './demo-settings.js';
import { SessionStore } from './session.store.js';

/**
 * A chat that trusts the session cookie sent with the handshake, as many real gateways do.
 * That is exactly what Cross-Site WebSocket Hijacking abuses: without the origin check, any
 * page the user visits could open this socket with the user's cookie.
 */
@WebSocketGateway({ path: WS_CHAT_PATH })
export class ChatGateway implements OnGatewayConnection {
  @WebSocketServer() private readonly server!: WsServer;
  private readonly users = new WeakMap<WebSocket, string>();
  private readonly logger: Logger;

  constructor(
    private readonly sessions: SessionStore,
    @Inject(DEMO_SETTINGS) settings: DemoSettings,
  ) {
    this.logger = new Logger(gatewayLogContext(ChatGateway.name, settings));
  }

  handleConnection(client: WebSocket, request: IncomingMessage): void {
    const user = this.sessions.userFromCookieHeader(request.headers.cookie);
    this.logger.log(describeConnection(request.headers.origin, user));
    if (user === undefined) {
      client.close(4401, 'Log in first');
      return;
    }
    this.users.set(client, user);
  }

  /** What an attacker is after: data only the logged-in user should see. */
  @SubscribeMessage('whoami')
  whoami(@ConnectedSocket() client: WebSocket) {
    const user = this.users.get(client);
    return { event: 'whoami', data: { user, secret: `private inbox of ${user}` } };
  }

  @SubscribeMessage('say')
  say(@ConnectedSocket() client: WebSocket, @MessageBody() text: unknown): void {
    const message = JSON.stringify({
      event: 'said',
      data: { user: this.users.get(client), text: String(text).slice(0, 500) },
    });
    for (const other of this.server.clients) {
      if (other.readyState === other.OPEN) other.send(message);
    }
  }
}
