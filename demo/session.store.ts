import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';

export const SESSION_COOKIE = 'demo_session';

/** In-memory logins: the cookie-authenticated state that a hijacked socket would expose. */
@Injectable()
export class SessionStore {
  private readonly users = new Map<string, string>();

  login(name: string): string {
    const token = randomBytes(18).toString('base64url');
    this.users.set(token, name);
    return token;
  }

  userFromCookieHeader(cookieHeader: string | undefined): string | undefined {
    for (const part of (cookieHeader ?? '').split(';')) {
      const [key, value] = part.trim().split('=');
      if (key === SESSION_COOKIE && value !== undefined) return this.users.get(value);
    }
    return undefined;
  }
}
