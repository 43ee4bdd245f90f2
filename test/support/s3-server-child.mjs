// Child process of test/support/s3-server.ts: runs s3rver (an S3-compatible server storing
// objects as files) on 127.0.0.1. Started with fork(); talks to the parent over IPC:
//   -> { type: 'ready', port }            once listening
//   <- { type: 'requests' } -> { type: 'requests', requests: [{ method, url }] }
// Plain JavaScript so the parent needs no loader to start it, on Node 20 and 24 alike.
import S3rver from 's3rver';

const [directory, portArg, ...buckets] = process.argv.slice(2);
const requests = [];

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(portArg),
  directory,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name })),
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
