import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { SessionService } from './session.service';
import { TokenService } from './token.service';

const WEB_URL = process.env.WEB_URL ?? 'http://localhost:5173';

@Controller('auth')
export class AuthController {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
  ) {}

  @Post('login')
  async login(@Body() body: { userId: string }, @Res({ passthrough: true }) res: Response): Promise<{ accessToken: string }> {
    const accessToken = this.tokens.accessToken(body.userId);
    const refreshToken = await this.sessions.open(body.userId);
    // Missing secure and sameSite.
    res.cookie('refresh_token', refreshToken, { httpOnly: true, path: '/auth/refresh' });
    // Fine: all three flags.
    res.cookie('session_hint', '1', { httpOnly: true, secure: true, sameSite: 'lax' });
    res.cookie('theme', 'dark');
    return { accessToken };
  }

  /** The identity provider sends the user back here after single sign-on. */
  @Get('sso/callback')
  ssoCallback(@Query('user') userId: string, @Res() res: Response): void {
    const accessToken = this.tokens.accessToken(userId);
    res.redirect(`${WEB_URL}/signed-in?access_token=${accessToken}`);
  }

  /** Fine: the query string carries where to go next, not a credential. */
  @Get('login')
  loginPage(@Query('next') next: string, @Res() res: Response): void {
    res.redirect(`${WEB_URL}/login?next=${encodeURIComponent(next)}`);
  }
}
