// Child process of test/support/s3-server.ts: runs s3rver (an S3-compatible server storing
// objects as files) on 127.0.0.1. Started with fork(); talks to the parent over IPC:
//   -> { type: 'ready', port }            once listening
//   <- { type: 'requests' } -> { type: 'requests', requests: [{ method, url }] }
// Plain JavaScript so the parent needs no loader to start it, on Node 20 and 24 alike.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';
import FilesystemStore from 's3rver/lib/stores/filesystem.js';

// s3rver 3.7 writes a PUT straight into the object's file and answers before the write stream has
// flushed, so a concurrent PUT to the same key interleaves bytes and a reader can see a partial
// object — real S3 never does either. Store through a temp file renamed into place once flushed
// (last writer wins, readers see old or new), which is the behaviour the storage port relies on.
FilesystemStore.prototype.putObject = async function putObject(object) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await mkdir(dirname(objectPath), { recursive: true });
  const temp = `${objectPath}.${randomUUID()}.partial`;
  const md5 = createHash('md5');
  let size = 0;
  try {
    const source = Buffer.isBuffer(object.content) ? [object.content] : object.content;
    const counter = new Transform({
      transform(chunk, _encoding, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    await pipeline(source, counter, createWriteStream(temp));
    await rename(temp, objectPath);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  const digest = md5.digest('hex');
  await this.putMetadata(object.bucket, object.key, object.metadata, digest);
  return { size, md5: digest };
};

const [directory, portArg, ...buckets] = process.argv.slice(2);
const requests = [];

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(portArg),
  directory,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name })),
});

// s3rver checks a presigned URL's expiry but not its SigV4 signature, so a tampered URL (another
// key, a longer X-Amz-Expires) would be served. Verify presigned query signatures the way S3 does,
// ahead of s3rver's own middleware. (Header-signed SDK calls stay unchecked, as in s3rver.)
const SECRETS = { S3RVER: 'S3RVER' };
const rfc3986 = (v) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
function presignedSignatureValid(req) {
  const url = new URL(req.url, 'http://placeholder');
  const q = url.searchParams;
  const [accessKey, date, region, service] = (q.get('X-Amz-Credential') ?? '').split('/');
  const secret = SECRETS[accessKey];
  if (secret === undefined || q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return false;
  const signedHeaders = (q.get('X-Amz-SignedHeaders') ?? '').split(';');
  const query = [...q.entries()]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = signedHeaders.map((h) => `${h}:${String(req.headers[h] ?? '').trim()}\n`).join('');
  const canonical = [req.method, url.pathname, query, headers, signedHeaders.join(';'), q.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD'].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', q.get('X-Amz-Date'), scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = Buffer.from(hmac(key, toSign).toString('hex'));
  const given = Buffer.from(q.get('X-Amz-Signature') ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
server.middleware.unshift(async (ctx, next) => {
  if (new URL(ctx.req.url, 'http://placeholder').searchParams.has('X-Amz-Signature') && !presignedSignatureValid(ctx.req)) {
    ctx.status = 403;
    ctx.type = 'application/xml';
    ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>';
    return;
  }
  await next();
});

const address = await server.run();
// Record what reached the server so tests can see e.g. that a multipart upload really used parts.
server.httpServer.on('request', (req) => requests.push({ method: req.method, url: req.url }));

process.on('message', (msg) => {
  if (msg?.type === 'requests') process.send({ type: 'requests', requests });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});
process.send({ type: 'ready', port: address.port });
