import { Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import * as jwt from 'jsonwebtoken';

/** Checks the tokens the 2019 mobile app still sends, and the current ones. */
@Injectable()
export class LegacyTokenVerifier {
  constructor(private readonly config: ConfigService) {}

  verifyLegacy(token: string): jwt.JwtPayload {
    // The old app sent unsigned tokens during its beta; accepting 'none' lets anyone write their own.
    const payload = jwt.verify(token, this.config.get<string>('LEGACY_JWT_SECRET', 'mobile-2019'), { algorithms: ['HS256', 'none'] });
    if (typeof payload === 'string') throw new UnauthorizedException();
    return payload;
  }

  /** Fine: one real algorithm and a secret from the environment. */
  verifyCurrent(token: string): jwt.JwtPayload {
    const payload = jwt.verify(token, this.config.getOrThrow<string>('JWT_SECRET'), { algorithms: ['HS256'] });
    if (typeof payload === 'string') throw new UnauthorizedException();
    return payload;
  }
}
