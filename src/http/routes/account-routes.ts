import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AccountsService } from '../../accounts/accounts-service.ts';
import { requireAdmin, ROLES } from '../../accounts/principal.ts';
import { ok } from '../envelope.ts';
import { principalOf } from '../plugins/auth.ts';

const tags = ['accounts'];

/** Login exchange, the caller's own tokens, and admin management of users and businesses. */
export function accountRoutes(accounts: AccountsService) {
  return (app: FastifyInstance): void => {
    app.post(
      '/api/v1/auth/login/',
      { config: { public: true }, schema: { tags, security: [], body: Type.Object({ login_token: Type.String({ minLength: 1, maxLength: 512 }) }) } },
      async (req) => {
        const { token, principal } = await accounts.exchangeLoginToken((req.body as { login_token: string }).login_token);
        return ok({ token, user: principal });
      },
    );
    app.get('/api/v1/me/', { schema: { tags } }, async (req) => ok(principalOf(req)));
    app.post(
      '/api/v1/me/tokens/',
      { schema: { tags, body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })) }) } },
      async (req, reply) => {
        const body = req.body as { name: string; expires_in_days?: number };
        const expiresAt = body.expires_in_days === undefined ? null : new Date(Date.now() + body.expires_in_days * 86_400_000);
        return reply.status(201).send(ok(await accounts.createToken(principalOf(req).userId, { name: body.name, expiresAt })));
      },
    );
    app.get('/api/v1/users/', { schema: { tags } }, async (req) => {
      requireAdmin(principalOf(req));
      return ok(await accounts.listUsers());
    });
    app.post(
      '/api/v1/users/',
      { schema: { tags, body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), role: Type.Optional(Type.Union(ROLES.map((r) => Type.Literal(r)))) }) } },
      async (req, reply) => {
        requireAdmin(principalOf(req));
        return reply.status(201).send(ok(await accounts.createUser(req.body as { username: string })));
      },
    );
    app.get('/api/v1/businesses/', { schema: { tags } }, async (req) => ok(await accounts.listBusinesses(principalOf(req))));
    app.post(
      '/api/v1/businesses/',
      { schema: { tags, body: Type.Object({ bk_biz_id: Type.Integer({ minimum: 1 }), name: Type.String({ minLength: 1, maxLength: 128 }) }) } },
      async (req, reply) => {
        requireAdmin(principalOf(req));
        const body = req.body as { bk_biz_id: number; name: string };
        return reply.status(201).send(ok(await accounts.createBusiness({ bkBizId: body.bk_biz_id, name: body.name })));
      },
    );
    app.put(
      '/api/v1/businesses/:bk_biz_id/members/:user_id/',
      { schema: { tags, params: Type.Object({ bk_biz_id: Type.Integer({ minimum: 1 }), user_id: Type.Integer({ minimum: 1 }) }) } },
      async (req) => {
        requireAdmin(principalOf(req));
        const { bk_biz_id, user_id } = req.params as { bk_biz_id: number; user_id: number };
        await accounts.addMembership(user_id, bk_biz_id);
        return ok({ bk_biz_id, user_id });
      },
    );
  };
}
