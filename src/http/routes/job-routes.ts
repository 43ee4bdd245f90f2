import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireAdmin } from '../../accounts/principal.ts';
import { JOB_STATES, type JobQueue, QUEUE_NAMES } from '../../jobs/job-queue.ts';
import { AppError } from '../../shared/app-error.ts';
import { ok } from '../envelope.ts';
import { principalOf } from '../plugins/auth.ts';

const tags = ['jobs'];
const IdParams = Type.Object({ job_id: Type.String({ minLength: 1, maxLength: 64 }) });

/** The jobs page: every queue's jobs with state, attempts and last error. Admins only: payloads name users and queries. */
export function jobRoutes(jobs: JobQueue) {
  return (app: FastifyInstance): void => {
    app.get(
      '/api/v1/jobs/',
      {
        schema: {
          tags,
          querystring: Type.Object({
            queue: Type.Optional(Type.Union(QUEUE_NAMES.map((q) => Type.Literal(q)))),
            state: Type.Optional(Type.Union(JOB_STATES.map((s) => Type.Literal(s)))),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          }),
        },
      },
      async (req) => {
        requireAdmin(principalOf(req));
        return ok(await jobs.listJobs(req.query as Parameters<JobQueue['listJobs']>[0]));
      },
    );
    app.get('/api/v1/jobs/:job_id/', { schema: { tags, params: IdParams } }, async (req) => {
      requireAdmin(principalOf(req));
      const { job_id } = req.params as { job_id: string };
      const job = await jobs.getJob(job_id);
      if (job === undefined) throw new AppError('JOB_NOT_FOUND', `Job ${job_id} does not exist`);
      return ok(job);
    });
    app.post('/api/v1/jobs/:job_id/cancel/', { schema: { tags, params: IdParams } }, async (req) => {
      requireAdmin(principalOf(req));
      const { job_id } = req.params as { job_id: string };
      if ((await jobs.getJob(job_id)) === undefined) throw new AppError('JOB_NOT_FOUND', `Job ${job_id} does not exist`);
      return ok({ cancelled: await jobs.cancel(job_id) });
    });
  };
}
