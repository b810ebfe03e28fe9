import type { ProjectLayout, ScaffoldPlan } from './model';
import { missing } from './layout';
import { join } from './names';

/** Where the error contract lives; the resource scaffold imports ApiException from here. */
export function errorContractDir(layout: ProjectLayout): string {
  return join(layout.sourceDir, 'common/errors');
}

/**
 * One error shape for every endpoint — `{ error: { code, message, details?, requestId } }` —
 * from a global exception filter, plus an interceptor that gives every request an id (taken from
 * `x-request-id` when a gateway set one) and echoes it in the response header for log correlation.
 */
export function errorContractScaffold(layout: ProjectLayout): ScaffoldPlan {
  const dir = errorContractDir(layout);
  const files = [
    { path: join(dir, 'error-response.ts'), content: ERROR_RESPONSE },
    { path: join(dir, 'request-id.interceptor.ts'), content: REQUEST_ID_INTERCEPTOR },
    { path: join(dir, 'http-exception.filter.ts'), content: EXCEPTION_FILTER },
    { path: join(dir, 'errors.module.ts'), content: ERRORS_MODULE },
  ];
  return {
    title: 'error contract',
    files,
    registrations: layout.rootModule ? [{ moduleFile: layout.rootModule, array: 'imports', className: 'ErrorsModule', classFile: join(dir, 'errors.module.ts') }] : [],
    open: [join(dir, 'http-exception.filter.ts'), join(dir, 'error-response.ts')],
    missingDependencies: missing(layout, ['@nestjs/common', '@nestjs/core', 'express', 'rxjs']),
  };
}

const ERROR_RESPONSE = `import { HttpException, HttpStatus } from '@nestjs/common';

/** One problem with one field of the request. */
export interface ErrorDetail {
  field: string;
  /** Machine-readable, e.g. INVALID_FORMAT, REQUIRED, TOO_LONG. */
  code: string;
  message: string;
}

/** The body of every error response, whatever the endpoint. */
export interface ErrorResponse {
  error: {
    /** Machine-readable and stable, e.g. VALIDATION_ERROR, ORDER_NOT_FOUND: clients branch on this. */
    code: string;
    /** For people; may change wording without breaking clients. */
    message: string;
    details?: ErrorDetail[];
    /** The request id, also in the x-request-id response header, to find the request in the logs. */
    requestId: string;
  };
}

/** Throw this for an error with a code of its own: \`throw new ApiException(404, 'ORDER_NOT_FOUND', 'Order 42 does not exist')\`. */
export class ApiException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super({ code, message, details }, status);
  }
}
`;

const REQUEST_ID_INTERCEPTOR = `import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';

export const REQUEST_ID_HEADER = 'x-request-id';

/** The request's id: the one the interceptor assigned, else a header value, else "unknown". */
export function requestIdOf(request: Request): string {
  const assigned = (request as Request & { requestId?: string }).requestId;
  const header = request.headers[REQUEST_ID_HEADER];
  return assigned ?? (typeof header === 'string' && header ? header : 'unknown');
}

/** Gives each HTTP request an id (a valid incoming x-request-id is kept) and returns it in the response header. */
@Injectable()
export class RequestIdInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const http = context.switchToHttp();
      const request = http.getRequest<Request & { requestId?: string }>();
      const incoming = request.headers[REQUEST_ID_HEADER];
      request.requestId = typeof incoming === 'string' && /^[A-Za-z0-9._-]{1,128}$/.test(incoming) ? incoming : randomUUID();
      http.getResponse<Response>().setHeader(REQUEST_ID_HEADER, request.requestId);
    }
    return next.handle();
  }
}
`;

const EXCEPTION_FILTER = `import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiException, type ErrorDetail, type ErrorResponse } from './error-response';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.interceptor';

const CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * Turns every exception into the error contract. HttpExceptions keep their status; a
 * ValidationPipe error becomes VALIDATION_ERROR with one detail per message; anything else is a
 * 500 whose details stay in the log, never in the response.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const requestId = requestIdOf(request);
    const status = exception instanceof HttpException ? exception.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
    const body: ErrorResponse = { error: { ...this.describe(exception, status), requestId } };
    if (status >= 500) this.logger.error(\`\${request.method} \${request.url} failed (request \${requestId})\`, exception instanceof Error ? exception.stack : String(exception));
    response.setHeader(REQUEST_ID_HEADER, requestId);
    response.status(status).json(body);
  }

  private describe(exception: unknown, status: number): { code: string; message: string; details?: ErrorDetail[] } {
    if (exception instanceof ApiException) return { code: exception.code, message: exception.message, details: exception.details };
    if (!(exception instanceof HttpException)) return { code: 'INTERNAL_ERROR', message: 'An unexpected error occurred' };
    const payload = exception.getResponse();
    const fields = typeof payload === 'object' && payload !== null ? (payload as { code?: unknown; message?: unknown }) : {};
    // ValidationPipe reports each failed constraint as a string in \`message\`, starting with the property name.
    if (Array.isArray(fields.message)) {
      const details = fields.message.map((text): ErrorDetail => ({ field: String(text).split(' ')[0] ?? '', code: 'INVALID', message: String(text) }));
      return { code: 'VALIDATION_ERROR', message: 'Request validation failed', details };
    }
    const code = typeof fields.code === 'string' ? fields.code : (CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'ERROR'));
    const message = typeof fields.message === 'string' ? fields.message : exception.message;
    return { code, message: status >= 500 && !(typeof fields.code === 'string') ? 'An unexpected error occurred' : message };
  }
}
`;

const ERRORS_MODULE = `import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { HttpExceptionFilter } from './http-exception.filter';
import { RequestIdInterceptor } from './request-id.interceptor';

/** Applies the error contract and request ids to every route of the application. */
@Module({
  providers: [
    { provide: APP_INTERCEPTOR, useClass: RequestIdInterceptor },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
  ],
})
export class ErrorsModule {}
`;
