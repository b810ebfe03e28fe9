import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminGuard } from './admin.guard';
import { AuthController } from './auth.controller';
import { JwtAuthGuard } from './jwt-auth.guard';
import { LegacyTokenVerifier } from './legacy-token.verifier';
import { Session } from './session.entity';
import { SessionService } from './session.service';
import { TokenService } from './token.service';

@Module({
  imports: [JwtModule.register({ secret: 'orders-dev-secret' }), TypeOrmModule.forFeature([Session])],
  controllers: [AuthController],
  providers: [TokenService, SessionService, LegacyTokenVerifier, JwtAuthGuard, AdminGuard],
  exports: [JwtAuthGuard, AdminGuard],
})
export class AuthModule {}
