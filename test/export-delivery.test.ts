/**
 * Delivery against real servers started on loopback: archives uploaded to an S3-compatible server
 * (s3rver) and fetched through the presigned link the download endpoint mints; success and failure
 * mails received and parsed by a real SMTP server; a mail failure never fails the export; cancel
 * of a running export removes its partial files.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExportJobHandler } from '../src/export/export-job.ts';
import { createNotifier } from '../src/notify/create-notifier.ts';
import { createObjectStorage } from '../src/storage/create-object-storage.ts';
import type { ObjectStorage } from '../src/storage/object-storage.ts';
import {
  BASE_TS, openArchive, parseNdjson, runJobInline, setupExportEnv, slowStore, sortDesc, type ExportEnv,
} from '../src/export/testing/export-test-kit.ts';
import { startS3Server, type S3Server } from './support/s3-server.ts';
import { parseReceivedMail, startSmtpServer, type SmtpServer } from './support/smtp-server.ts';
import { createTestContext } from './support/test-context.ts';

const s3Storage = (s3: S3Server, bucket = s3.bucket): Promise<ObjectStorage> =>
  createObjectStorage({
    type: 's3',
    options: { endpoint: s3.endpoint, region: s3.region, bucket, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true },
  });

describe('export delivery through S3 and SMTP (embedded store)', () => {
  let s3: S3Server;
  let smtp: SmtpServer;
  let env: ExportEnv;
  const search = { startTime: BASE_TS, endTime: BASE_TS + 10 ** 9 };

  beforeAll(async () => {
    [s3, smtp] = await Promise.all([startS3Server(), startSmtpServer()]);
    env = await setupExportEnv(() => createTestContext('sqlite'), {
      rows: 3_000,
      worker: false,
      overrides: {
        storage: await s3Storage(s3),
        notifier: await createNotifier({ kind: 'smtp', options: { url: smtp.url, from: 'logsift@example.com' } }),
        limits: { pageSize: 100, maxRowsPerPart: 1_000 },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await env?.cleanup();
    await Promise.all([s3?.stop(), smtp?.stop()]);
  });

  it('uploads to S3, mails a link to logsift (not to S3), and the presigned link serves the archive', async () => {
    const created = await env.service.create({ indexSetIds: [env.indexSet.id], search, fields: ['n'], language: 'zh' }, env.ann);
    await runJobInline(env.feature.jobHandler, created.taskId);
    const view = await env.service.get(created.taskId, env.ann);
    expect(view.exportStatus).toBe('success');
    expect(view.notifyError).toBeNull();

    await smtp.waitForMail(1);
    const mail = (await parseReceivedMail(smtp)).at(-1);
    expect(mail!.to).toEqual(['ann@example.com']);
    expect(mail!.subject).toContain('payments');
    expect(mail!.subject).toContain('检索导出');
    const endpoint = `/api/v1/search/index_set/async_export/download_file/?task_id=${created.taskId}`;
    expect(mail!.text).toContain(endpoint);
    expect(mail!.text).not.toContain(s3.endpoint);
    expect(mail!.html ?? '').not.toContain('X-Amz-Signature');

    const link = await env.service.downloadLink(created.taskId, env.ann);
    expect(link.url.startsWith(s3.endpoint)).toBe(true);
    expect(link.url).toContain('X-Amz-Signature');
    expect(link.url).toMatch(/X-Amz-Expires=600\b/);
    const res = await fetch(link.url);
    expect(res.status).toBe(200);
    const { names, files } = openArchive(Buffer.from(await res.arrayBuffer()));
    expect(names.filter((n) => n.endsWith('.log')).length).toBe(3);
    const got = names.filter((n) => n.endsWith('.log')).flatMap((n) => parseNdjson(files.get(n)!)).map((r) => r.n);
    expect(got).toEqual(sortDesc(env.rows).map((r) => r.fields.n));
    // Someone else cannot get a link; the object itself is deleted once the link expires (clean job).
    await expect(env.service.downloadLink(created.taskId, env.bob)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a failed upload fails the task with the step in failed_reason and mails the reason without a link', async () => {
    const before = smtp.received().length;
    const created = await env.service.create({ indexSetIds: [env.indexSet.id], search: { ...search, query: 'level:error' } }, env.ann);
    const broken = createExportJobHandler({ ...env.feature.deps, storage: await s3Storage(s3, 'no-such-bucket'), limits: { maxAttempts: 1 } });
    await expect(runJobInline(broken, created.taskId)).rejects.toThrow();
    const view = await env.service.get(created.taskId, env.ann);
    expect(view.exportStatus).toBe('failed');
    expect(view.errorMsg).toMatch(/^export upload error: /);
    await smtp.waitForMail(before + 1);
    const mails = await parseReceivedMail(smtp);
    const mail = mails.at(-1)!;
    expect(mail.subject).toMatch(/search export failed/);
    expect(mail.text).toContain('export upload error');
    expect(mail.text).not.toContain('download_file');
    expect(existsSync(join(env.feature.deps.workDir, `task-${created.taskId}`))).toBe(false);
  });

  it('a mail failure is recorded on the task and never fails the export', async () => {
    const created = await env.service.create({ indexSetIds: [env.indexSet.id], search: { ...search, query: 'level:info' } }, env.ann);
    const deadMail = createExportJobHandler({
      ...env.feature.deps,
      notifier: await createNotifier({ kind: 'smtp', options: { url: 'smtp://127.0.0.1:1', from: 'logsift@example.com' } }),
    });
    await runJobInline(deadMail, created.taskId);
    const view = await env.service.get(created.taskId, env.ann);
    expect(view.exportStatus).toBe('success');
    expect(view.notifyError).toMatch(/^mail not sent: /);
  });

  it('cancelling a running export stops it and removes its partial files', async () => {
    const created = await env.service.create({ indexSetIds: [env.indexSet.id], search: { ...search, endTime: search.endTime + 1 } }, env.ann);
    const slow = createExportJobHandler({ ...env.feature.deps, store: slowStore(env.ctx.store, 40), limits: { pageSize: 100, maxRowsPerPart: 500, progressEveryRows: 100 } });
    const running = runJobInline(slow, created.taskId);
    const dir = join(env.feature.deps.workDir, `task-${created.taskId}`);
    for (;;) {
      const v = await env.service.get(created.taskId, env.ann);
      if (v.exportedCount >= 500) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(existsSync(dir)).toBe(true);
    const cancelled = await env.service.cancel(created.taskId, env.ann);
    expect(cancelled.exportStatus).toBe('cancelled');
    await expect(running).resolves.toMatchObject({ status: 'cancelled' });
    expect(existsSync(dir)).toBe(false);
    const view = await env.service.get(created.taskId, env.ann);
    expect(view.exportStatus).toBe('cancelled');
    expect(view.exportPkgName).toBeNull();
  });
});
