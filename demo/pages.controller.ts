import { Controller, Get, Header, Headers, Inject, Query, Res } from '@nestjs/common';
import { DEMO_SETTINGS, type DemoSettings } from './demo-settings.js';
import { chatPage } from './pages/chat-page.js';
import { SESSION_COOKIE, SessionStore } from './session.store.js';

/** The part of Express's response this controller uses. */
interface CookieResponse {
  cookie(name: string, value: string, options: { httpOnly: boolean; sameSite: 'lax' }): void;
  redirect(url: string): void;
}

@Controller()
export class PagesController {
  constructor(
    private readonly sessions: SessionStore,
    @Inject(DEMO_SETTINGS) private readonly settings: DemoSettings,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  home(@Headers('cookie') cookie: string | undefined): string {
    return chatPage(this.sessions.userFromCookieHeader(cookie), this.settings);
  }

  @Get('login')
  login(@Query('name') name: string | undefined, @Res() response: CookieResponse): void {
    const user = (name ?? '').trim().slice(0, 40) || 'alice';
    response.cookie(SESSION_COOKIE, this.sessions.login(user), { httpOnly: true, sameSite: 'lax' });
    response.redirect('/');
  }
}
