import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Session } from './session.entity';
import { TokenService } from './token.service';

const SESSION_DAYS = 7;

@Injectable()
export class SessionService {
  private readonly logger = new Logger(SessionService.name);

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly tokens: TokenService,
  ) {}

  async open(userId: string): Promise<string> {
    const refreshToken = await this.tokens.refreshToken(userId);
    // Stored as issued: whoever reads this table (a backup, a replica, an injection) can sign in as the user.
    await this.sessions.save({ userId, refreshToken, expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000) });
    this.logger.debug(`session opened for ${userId}: ${refreshToken}`);
    return refreshToken;
  }

  async resume(presented: string): Promise<Session> {
    const session = await this.sessions.findOneBy({ refreshToken: presented });
    if (!session || session.expiresAt < new Date()) throw new UnauthorizedException();
    // Fine: names the user, not the token.
    this.logger.log(`session resumed for ${session.userId}`);
    return session;
  }

  /** Fine: clearing the column on sign-out writes no token. */
  async signOutEverywhere(userId: string): Promise<void> {
    await this.sessions.update({ userId }, { refreshToken: null });
  }
}
