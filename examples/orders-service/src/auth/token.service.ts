import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

@Injectable()
export class TokenService {
  constructor(private readonly jwtService: JwtService) {}

  /** Relies on the module's signOptions for its lifetime. */
  accessToken(userId: string): string {
    return this.jwtService.sign({ sub: userId });
  }

  /** Fine: its own lifetime, and verified rather than decoded. */
  refreshToken(userId: string): Promise<string> {
    return this.jwtService.signAsync({ sub: userId, kind: 'refresh' }, { expiresIn: '7d' });
  }

  check(token: string): Promise<{ sub: string }> {
    return this.jwtService.verifyAsync<{ sub: string }>(token);
  }
}
