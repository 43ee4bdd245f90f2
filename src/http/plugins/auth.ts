import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../accounts/principal.ts';
import { AppError } from '../../shared/app-error.ts';

/** Resolves a bearer token to its principal, or throws BAD_TOKEN (the accounts service). */
export type Authenticate = (token: string) => Promise<Principal>;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Routes that answer without a token (health, metrics, docs, login exchange). */
    public?: boolean;
  }
}

/**
 * Every route requires `Authorization: Bearer <token>` unless marked `config.public`.
 * Swagger UI routes are public so the document can be read before logging in.
 */
export function registerAuth(app: FastifyInstance, authenticate: Authenticate): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public === true || request.url.startsWith('/docs')) return;
    const header = request.headers.authorization;
    if (header === undefined || header === '') throw new AppError('UNAUTHENTICATED', 'Missing Authorization: Bearer <token>');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1] === undefined) throw new AppError('BAD_TOKEN', 'Authorization header must be "Bearer <token>"');
    request.principal = await authenticate(match[1]);
  });
}

/** The authenticated caller; routes that are not public can rely on it. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new AppError('UNAUTHENTICATED');
  return request.principal;
}
