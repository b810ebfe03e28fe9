import type { ProjectLayout, ScaffoldPlan } from './model';
import { entityClassesIn, keyTypeOf } from './data-loader';
import { missing } from './layout';
import { join, relativeImport } from './names';

export interface JwtAuthInput {
  /** The user entity file, relative to the project, and its text. */
  userEntityFile: string;
  userEntityText: string;
}

const PASSWORD_FIELDS = ['passwordHash', 'password_hash', 'hashedPassword', 'hash', 'password'];

/** What the scaffold needs from the user entity: its class, the email and password-hash properties. */
export function userEntityShape(text: string): { className: string; emailField: string; passwordField: string; idType: 'string' | 'number' } | { problem: string } {
  const className = entityClassesIn(text)[0];
  if (!className) return { problem: 'declares no @Entity class' };
  const has = (field: string) => new RegExp(`\\b${field}[!?]?\\s*:`).test(text);
  const emailField = ['email', 'emailAddress', 'username'].find(has);
  if (!emailField) return { problem: `${className} has no email (or username) property` };
  const passwordField = PASSWORD_FIELDS.find(has);
  if (!passwordField) return { problem: `${className} has no password hash property (${PASSWORD_FIELDS.join(', ')})` };
  return { className, emailField, passwordField, idType: keyTypeOf(text, 'id') };
}

/** bcrypt or argon2, whichever the project has; bcrypt otherwise (and it is reported missing). */
export function hashLibraryOf(layout: ProjectLayout): 'bcrypt' | 'argon2' {
  return layout.dependencies.has('argon2') && !layout.dependencies.has('bcrypt') ? 'argon2' : 'bcrypt';
}

/**
 * JWT auth with refresh-token rotation for a NestJS + TypeORM project: a 15-minute access token
 * (HS256, secret from JWT_SECRET), an opaque refresh token in an httpOnly, secure, sameSite=strict
 * cookie scoped to /auth, stored only as a SHA-256 hash, rotated on every use; presenting a
 * used token again revokes every token of the user (reuse detection). Passwords are checked
 * against the user entity with bcrypt or argon2.
 */
export function jwtAuthScaffold(layout: ProjectLayout, input: JwtAuthInput): ScaffoldPlan {
  const shape = userEntityShape(input.userEntityText);
  if ('problem' in shape) throw new Error(`${input.userEntityFile} ${shape.problem}.`);
  const { className: User, emailField, passwordField } = shape;
  const dir = join(layout.sourceDir, 'auth');
  const file = (name: string) => join(dir, name);
  const userImport = relativeImport(file('auth.service.ts'), input.userEntityFile);
  const hashLibrary = hashLibraryOf(layout);

  const constants = `/** Access tokens are short-lived: a leaked one is useful for minutes, not days. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_DAYS = 30;
/** The refresh cookie is sent only to the auth routes, never readable by scripts. */
export const REFRESH_COOKIE = 'refresh_token';
export const REFRESH_COOKIE_PATH = '/auth';

export function jwtSecret(): string {
  const secret = process.env.JWT_SECRET;
  if (!secret || secret.length < 32) throw new Error('Set JWT_SECRET to a random string of at least 32 characters.');
  return secret;
}
`;
  const entity = `import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One refresh token, stored as the SHA-256 of its value: a database leak yields no usable token. */
@Entity('refresh_tokens')
export class RefreshToken {
  /** SHA-256 of the token, hex. */
  @PrimaryColumn({ type: 'char', length: 64 })
  hash!: string;

  @Index()
  @Column('varchar')
  userId!: string;

  /** Every token rotated from one login shares a family. */
  @Column({ type: 'char', length: 32 })
  family!: string;

  /** Set when the token is exchanged; a second use is a replay. */
  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column('timestamptz')
  expiresAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
`;
  const service = `import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
${hashLibrary === 'bcrypt' ? "import { compare } from 'bcrypt';" : "import { verify } from 'argon2';"}
import { createHash, randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { ${User} } from '${userImport}';
import { ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_DAYS } from './auth.constants';
import { RefreshToken } from './refresh-token.entity';

export interface TokenPair {
  accessToken: string;
  /** Goes into the httpOnly cookie only, never into a response body. */
  refreshToken: string;
  refreshExpiresAt: Date;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

@Injectable()
export class AuthService {
  constructor(
    private readonly jwt: JwtService,
    @InjectRepository(${User}) private readonly users: Repository<${User}>,
    @InjectRepository(RefreshToken) private readonly tokens: Repository<RefreshToken>,
  ) {}

  async login(${emailField}: string, password: string): Promise<TokenPair> {
    const user = await this.users.findOneBy({ ${emailField} });
    // The same answer for an unknown user and a wrong password: no account enumeration.
    const hash = user?.${passwordField};
    if (!user || typeof hash !== 'string' || !(await ${hashLibrary === 'bcrypt' ? 'compare(password, hash)' : 'verify(hash, password)'})) {
      throw new UnauthorizedException({ code: 'INVALID_CREDENTIALS', message: 'Wrong email or password' });
    }
    return this.issue(String(user.id), randomBytes(16).toString('hex'));
  }

  /**
   * Exchanges a refresh token for a new pair. A token that was already used means someone
   * replayed it: every token of the user is revoked and they must sign in again.
   */
  async refresh(presented: string): Promise<TokenPair> {
    const stored = await this.tokens.findOneBy({ hash: hashOf(presented) });
    if (!stored || stored.revokedAt || stored.expiresAt.getTime() <= Date.now()) throw this.invalid();
    if (stored.usedAt) {
      await this.revokeAll(stored.userId);
      throw new UnauthorizedException({ code: 'REFRESH_TOKEN_REUSED', message: 'This session was ended for safety; sign in again' });
    }
    // Conditional update: of two concurrent refreshes with one token, only one wins.
    const claimed = await this.tokens.update({ hash: stored.hash, usedAt: IsNull() }, { usedAt: new Date() });
    if (claimed.affected !== 1) {
      await this.revokeAll(stored.userId);
      throw this.invalid();
    }
    return this.issue(stored.userId, stored.family);
  }

  async logout(presented: string | undefined): Promise<void> {
    if (!presented) return;
    const stored = await this.tokens.findOneBy({ hash: hashOf(presented) });
    if (stored) await this.tokens.update({ family: stored.family, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  private async issue(userId: string, family: string): Promise<TokenPair> {
    const accessToken = await this.jwt.signAsync({ sub: userId }, { expiresIn: ACCESS_TOKEN_TTL_SECONDS });
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshExpiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_DAYS * 24 * 60 * 60 * 1000);
    await this.tokens.insert({ hash: hashOf(refreshToken), userId, family, usedAt: null, revokedAt: null, expiresAt: refreshExpiresAt });
    return { accessToken, refreshToken, refreshExpiresAt };
  }

  private async revokeAll(userId: string): Promise<void> {
    await this.tokens.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  private invalid(): UnauthorizedException {
    return new UnauthorizedException({ code: 'INVALID_REFRESH_TOKEN', message: 'Sign in again' });
  }
}
`;
  const dto = `import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  ${emailField}!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password!: string;
}
`;
  const controller = `import { Body, Controller, HttpCode, HttpStatus, Post, Req, Res, UnauthorizedException, UsePipes, ValidationPipe } from '@nestjs/common';
import { parse } from 'cookie';
import type { Request, Response } from 'express';
import { REFRESH_COOKIE, REFRESH_COOKIE_PATH } from './auth.constants';
import { AuthService, type TokenPair } from './auth.service';
import { LoginDto } from './login.dto';

@Controller('auth')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(HttpStatus.OK)
  async login(@Body() body: LoginDto, @Res({ passthrough: true }) response: Response): Promise<{ accessToken: string }> {
    return this.respond(await this.auth.login(body.${emailField}, body.password), response);
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  async refresh(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<{ accessToken: string }> {
    const presented = refreshCookieOf(request);
    if (!presented) throw new UnauthorizedException({ code: 'NO_REFRESH_TOKEN', message: 'Sign in again' });
    return this.respond(await this.auth.refresh(presented), response);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.logout(refreshCookieOf(request));
    response.clearCookie(REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH, httpOnly: true, secure: true, sameSite: 'strict' });
  }

  private respond(tokens: TokenPair, response: Response): { accessToken: string } {
    response.cookie(REFRESH_COOKIE, tokens.refreshToken, {
      httpOnly: true,
      secure: true,
      sameSite: 'strict',
      path: REFRESH_COOKIE_PATH,
      expires: tokens.refreshExpiresAt,
    });
    return { accessToken: tokens.accessToken };
  }
}

function refreshCookieOf(request: Request): string | undefined {
  return parse(request.headers.cookie ?? '')[REFRESH_COOKIE] || undefined;
}
`;
  const guard = `import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';

export interface AuthenticatedUser {
  id: string;
}

/** Lets a request through with a valid \`Authorization: Bearer <access token>\`; sets \`request.user\`. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: 'Sign in first' });
    try {
      const payload = await this.jwt.verifyAsync<{ sub: string }>(token, { algorithms: ['HS256'] });
      request.user = { id: payload.sub };
      return true;
    } catch {
      throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: 'Sign in again' });
    }
  }
}
`;
  const module = `import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ${User} } from '${userImport}';
import { ACCESS_TOKEN_TTL_SECONDS, jwtSecret } from './auth.constants';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './jwt-auth.guard';
import { RefreshToken } from './refresh-token.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([${User}, RefreshToken]),
    // The secret comes from the environment when the module starts, never from the source.
    JwtModule.registerAsync({
      useFactory: () => ({
        secret: jwtSecret(),
        signOptions: { algorithm: 'HS256', expiresIn: ACCESS_TOKEN_TTL_SECONDS },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, JwtAuthGuard],
  exports: [JwtAuthGuard, JwtModule],
})
export class AuthModule {}
`;
  const moduleFile = file('auth.module.ts');
  return {
    title: 'JWT auth with refresh-token rotation',
    files: [
      { path: file('auth.constants.ts'), content: constants },
      { path: file('refresh-token.entity.ts'), content: entity },
      { path: file('auth.service.ts'), content: service },
      { path: file('login.dto.ts'), content: dto },
      { path: file('auth.controller.ts'), content: controller },
      { path: file('jwt-auth.guard.ts'), content: guard },
      { path: moduleFile, content: module },
    ],
    registrations: layout.rootModule ? [{ moduleFile: layout.rootModule, array: 'imports', className: 'AuthModule', classFile: moduleFile }] : [],
    open: [file('auth.service.ts'), file('auth.controller.ts')],
    missingDependencies: missing(layout, ['@nestjs/common', '@nestjs/jwt', '@nestjs/typeorm', 'typeorm', 'cookie', 'class-validator', ...(hashLibrary === 'bcrypt' ? ['bcrypt', '@types/bcrypt'] : ['argon2'])]),
  };
}
