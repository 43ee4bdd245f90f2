/**
 * Generates logsift's bundled demo logs (demo/*.gz): three services in the three ingest formats,
 * spanning the 7 days before a fixed base date, from a seeded PRNG, so the committed files are
 * reproducible byte for byte: `node --import tsx scripts/generate-demo-logs.ts [--base-date ISO]
 * [--seed N] [--out DIR]`. The messages follow a few dozen templates with variable parts (ids, IPs,
 * latencies), which is what pattern clustering needs to show something, plus scripted incidents.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Asia/Shanghai has had no DST since 1991, so local wall-clock time is a fixed +8 h shift. */
const SHANGHAI = 8 * HOUR;

const { values: args } = parseArgs({
  options: {
    'base-date': { type: 'string', default: '2026-11-20T00:00:00Z' },
    seed: { type: 'string', default: '20261120' },
    out: { type: 'string', default: 'demo' },
  },
});
const BASE = Date.parse(args['base-date']);
if (Number.isNaN(BASE)) throw new Error(`--base-date is not a date: ${args['base-date']}`);
const START = BASE - 7 * DAY;

/** mulberry32: tiny, fast, and good enough for fake logs; seeded so output is reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(Number(args.seed));
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
const chance = (p: number): boolean => rand() < p;
const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
const alnum = (n: number): string => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[int(0, 35)]).join('');
const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
const ip = (): string => pick([`10.${int(0, 31)}.${int(0, 255)}.${int(1, 254)}`, `172.16.${int(0, 15)}.${int(1, 254)}`, `${int(11, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`]);
/** Long-tailed latency: mostly fast, sometimes slow. */
const latency = (median: number): number => Math.max(1, Math.round(median * Math.exp((rand() + rand() + rand() - 1.5) * 1.6)));
/** Picks a key from `{ key: weight }`. */
function weighted<K extends string>(weights: Record<K, number>): K {
  const entries = Object.entries(weights) as Array<[K, number]>;
  let r = rand() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [k, w] of entries) if ((r -= w) < 0) return k;
  return (entries.at(-1) as [K, number])[0];
}

/** A random instant, denser during Shanghai office hours (rejection sampling against a daily curve). */
function instant(from = START, to = BASE): number {
  for (;;) {
    const t = from + Math.floor(rand() * (to - from));
    const hour = ((t + SHANGHAI) % DAY) / HOUR;
    const load = 0.2 + 0.8 * Math.exp(-(((hour - 14) / 5) ** 2));
    if (rand() < load) return t;
  }
}
/** Scripted incident windows, as offsets from the base date, so the demo has spikes to find. */
const window = (dayOffset: number, hourLocal: number, minutes: number): [number, number] => {
  const from = BASE - dayOffset * DAY + hourLocal * HOUR - SHANGHAI;
  return [from, from + minutes * 60_000];
};
const inWindow = (t: number, [from, to]: [number, number]): boolean => t >= from && t < to;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
/** `yyyy-MM-dd HH:mm:ss,SSS` in Shanghai wall-clock time, with no offset (the raw format's zone is configured). */
function shanghaiWallClock(t: number): string {
  const d = new Date(t + SHANGHAI);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)}`;
}
const shanghaiIso = (t: number): string => `${shanghaiWallClock(t).replace(' ', 'T').replace(',', '.')}+08:00`;

interface Entry { t: number; line: string }

// ---------------------------------------------------------------- web shop: raw text
const WEB_HOSTS = ['web-1', 'web-2', 'web-3', 'web-4', 'web-5', 'web-6'];
const UPSTREAMS = ['inventory-svc', 'pricing-svc', 'payments-api', 'recommendation-svc', 'user-svc'];
const TABLES = ['orders', 'order_items', 'users', 'products', 'carts', 'sessions'];
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15',
  'okhttp/4.12.0', 'curl/8.5.0', 'ShopApp/5.3.1 (Android 14; Pixel 8)', 'Googlebot/2.1 (+http://www.google.com/bot.html)',
];
const SEARCH_WORDS = ['shoes', 'red+dress', 'usb-c+cable', 'coffee', 'laptop+stand', 'headphones', 'yoga+mat', 'gift+card'];
const DEPLOY = window(2, 10, 20);

function accessLine(t: number): [level: string, content: string] {
  const route = weighted({ order: 18, profile: 10, cart: 14, search: 16, product: 20, asset: 12, health: 6, login: 4, checkout: 5 });
  const paths: Record<typeof route, () => [string, string]> = {
    order: () => [pick(['GET', 'GET', 'PUT']), `/api/v1/orders/${int(100000, 999999)}`],
    profile: () => ['GET', `/api/v1/users/${int(1000, 99999)}/profile`],
    cart: () => [pick(['GET', 'POST', 'DELETE']), '/api/v1/cart'],
    search: () => ['GET', `/api/v1/search?q=${pick(SEARCH_WORDS)}&page=${int(1, 5)}`],
    product: () => ['GET', `/api/v1/products/SKU-${int(10000, 99999)}`],
    asset: () => ['GET', `/static/${pick(['js/app', 'js/vendor', 'css/main'])}.${hex(8)}.${pick(['js', 'css'])}`],
    health: () => ['GET', '/healthz'],
    login: () => ['POST', '/login'],
    checkout: () => ['POST', '/api/v1/checkout'],
  };
  const [method, path] = paths[route]();
  const failing = inWindow(t, DEPLOY) ? 0.2 : 0.015;
  const status = chance(failing) ? pick([500, 502, 503, 504]) : chance(0.06) ? pick([400, 401, 403, 404, 404, 429]) : route === 'asset' && chance(0.4) ? 304 : method === 'POST' ? 201 : 200;
  const level = status >= 500 ? 'ERROR' : status >= 400 ? 'WARN' : 'INFO';
  const bytes = status === 304 ? 0 : route === 'asset' ? int(20000, 400000) : route === 'health' ? 15 : int(120, 9000);
  return [level, `${ip()} "${method} ${path} HTTP/1.1" ${status} ${bytes} ${latency(route === 'search' ? 80 : 25)}ms "${pick(USER_AGENTS)}"`];
}

const WEB_APP: Array<[component: string, weight: number, make: () => [string, string]]> = [
  ['cache', 8, () => ['DEBUG', `Cache miss for key user:${int(1000, 99999)}:profile, loading from db`]],
  ['cache', 3, () => ['INFO', `Cache hit ratio ${int(70, 99)}.${int(0, 9)}% over last 60s (${int(2000, 40000)} lookups)`]],
  ['cache', 1, () => ['INFO', `Evicted ${int(100, 5000)} entries from LRU cache (size ${int(200, 512)} MB)`]],
  ['db.pool', 4, () => ['WARN', `Slow query on table ${pick(TABLES)} took ${latency(900)} ms (rows=${int(1, 50000)})`]],
  ['db.pool', 1, () => { const n = pick([32, 64]); return ['ERROR', `Connection pool exhausted: ${n}/${n} in use, ${int(1, 300)} waiting`]; }],
  ['auth', 5, () => ['INFO', `User u_${int(1000, 99999)} logged in from ${ip()} via ${pick(['password', 'sso', 'oauth:google', 'oauth:github'])}`]],
  ['auth', 2, () => ['WARN', `Failed login for user u_${int(1000, 99999)} from ${ip()}: ${pick(['invalid password', 'account locked', 'expired token'])} (attempt ${int(1, 5)}/5)`]],
  ['auth', 2, () => ['INFO', `Session ${hex(16)} expired for user u_${int(1000, 99999)}`]],
  ['ratelimit', 2, () => ['WARN', `Rate limit exceeded for client ${ip()}: ${int(601, 3000)} req/min (limit 600)`]],
  ['upstream', 3, () => ['ERROR', `Upstream ${pick(UPSTREAMS)} responded ${pick([500, 502, 503, 504])} after ${latency(1500)} ms for ${pick(['GET', 'POST'])} /internal/${pick(['stock', 'price', 'charge', 'recs', 'user'])}/${int(1, 99999)}`]],
  ['upstream', 1, () => ['ERROR', `Upstream ${pick(UPSTREAMS)} connection refused (${ip()}:${pick([8080, 8443, 9000])}), retrying in ${pick([100, 200, 400, 800])} ms`]],
  ['gc', 3, () => { const max = pick([2048, 4096]); return ['DEBUG', `GC pause ${latency(12)} ms (${pick(['young', 'young', 'mixed', 'full'])}), heap ${int(300, max)}/${max} MB`]; }],
  ['checkout', 3, () => ['INFO', `Order ord_${alnum(10)} placed by u_${int(1000, 99999)}: ${int(1, 9)} items, total ${int(5, 900)}.${pad(int(0, 99))} ${pick(['USD', 'EUR', 'CNY'])}`]],
  ['checkout', 1, () => ['WARN', `Coupon ${pick(['WELCOME10', 'BF2026', 'FREESHIP', 'VIP20'])} rejected for u_${int(1000, 99999)}: ${pick(['expired', 'minimum not met', 'already used'])}`]],
];

function webService(count: number): Entry[] {
  const out: Entry[] = [];
  const line = (t: number, level: string, host: string, component: string, content: string): Entry => ({
    t, line: `${shanghaiWallClock(t)} ${level} [${host}] ${component}: ${content}`,
  });
  const totalWeight = WEB_APP.reduce((s, [, w]) => s + w, 0);
  while (out.length < count) {
    const t = instant();
    if (chance(0.72)) {
      const [level, content] = accessLine(t);
      out.push(line(t, level, pick(WEB_HOSTS), 'http.access', content));
      continue;
    }
    let r = rand() * totalWeight;
    const [component, , make] = WEB_APP.find(([, w]) => (r -= w) < 0) ?? WEB_APP[0]!;
    const [level, content] = make();
    out.push(line(t, level, pick(WEB_HOSTS), component, content));
  }
  // The scripted deploy: each host drains, restarts and comes back with the new version.
  WEB_HOSTS.forEach((host, i) => {
    const t = DEPLOY[0] + i * 150_000;
    out.push(line(t, 'INFO', host, 'lifecycle', `Received SIGTERM, draining ${int(10, 400)} connections`));
    out.push(line(t + 4_000, 'INFO', host, 'lifecycle', `Deploying version v2.14.0 (build ${hex(7)})`));
    out.push(line(t + 9_000, 'INFO', host, 'lifecycle', `Server listening on 0.0.0.0:8080 with ${pick([8, 16])} workers`));
  });
  return out;
}

// ---------------------------------------------------------------- payments: NDJSON
const PROVIDERS = ['acquirer-a', 'acquirer-b', 'wallet-pay'];
const CURRENCIES = ['USD', 'EUR', 'CNY', 'JPY'];
const DECLINES: Array<[string, string]> = [
  ['insufficient funds', '51'], ['do not honor', '05'], ['expired card', '54'], ['suspected fraud', '59'], ['invalid CVV', 'N7'],
];
const TIMEOUT_STORM = window(3, 14, 40);

function paymentsService(count: number): Entry[] {
  const out: Entry[] = [];
  const emit = (t: number, level: string, msg: string, extra: Record<string, unknown> = {}): void => {
    const rec = { '@timestamp': new Date(t).toISOString(), level, service: 'payments', host: `pay-${int(1, 4)}`, msg, trace: { id: hex(32) }, ...extra };
    out.push({ t, line: JSON.stringify(rec) });
  };
  while (out.length < count) {
    const t = instant();
    const provider = pick(PROVIDERS);
    const amount = Number(`${int(1, 1500)}.${pad(int(0, 99))}`);
    const currency = pick(CURRENCIES);
    const order = `ord_${alnum(10)}`;
    const pi = `pi_${alnum(14)}`;
    const base = { order_id: order, amount, currency, provider };
    const storm = inWindow(t, TIMEOUT_STORM) && provider === 'acquirer-b';
    const kind = storm ? 'timeout' : weighted({ ok: 60, decline: 9, timeout: 2, retry: 3, refund: 6, webhook: 4, fraud: 2, idem: 1, ledger: 1, settle: 1 });
    const ms = latency(storm ? 9000 : 230);
    switch (kind) {
      case 'ok':
        emit(t, 'info', `Payment ${pi} authorized: ${amount} ${currency} via ${provider} in ${ms} ms`, { ...base, latency_ms: ms, http: { status: 200 } });
        break;
      case 'decline': {
        const [reason, code] = pick(DECLINES);
        emit(t, 'warn', `Card declined for payment ${pi}: ${reason} (code ${code})`, { ...base, latency_ms: ms, http: { status: 402 } });
        break;
      }
      case 'timeout':
        emit(t, 'error', `Timeout after ${Math.max(ms, 5000)} ms calling ${provider} /v2/charges (attempt ${int(1, 3)}/3)`, { ...base, latency_ms: Math.max(ms, 5000), http: { status: 504 } });
        break;
      case 'retry':
        emit(t, 'warn', `Retrying payment ${pi} with ${pick(PROVIDERS)} after ${pick(['timeout', 'connection reset', 'HTTP 503'])}`, base);
        break;
      case 'refund':
        emit(t, 'info', `Refund re_${alnum(12)} of ${amount} ${currency} for order ${order} completed`, { ...base, http: { status: 200 } });
        break;
      case 'webhook':
        emit(t, 'warn', `Webhook delivery to https://merchant-${int(1, 400)}.example.com/hooks failed with status ${pick([404, 410, 500, 503])}, will retry in ${pick([30, 60, 120, 300])}s`, { order_id: order });
        break;
      case 'fraud':
        emit(t, 'warn', `Fraud check flagged payment ${pi}: score 0.${int(86, 99)} above threshold 0.85`, base);
        break;
      case 'idem':
        emit(t, 'error', `Idempotency key ${uuid()} reused with a different payload`, { order_id: order, http: { status: 409 } });
        break;
      case 'ledger':
        emit(t, 'error', `Database deadlock detected while updating ledger entry le_${alnum(12)}, retrying (${int(1, 3)}/3)`, {});
        break;
      default:
        emit(t, 'info', `Settlement batch sb_${int(1000, 9999)} submitted to ${provider}: ${int(100, 5000)} payments`, { provider });
    }
  }
  const [from, to] = TIMEOUT_STORM;
  emit(from + 90_000, 'error', 'Circuit breaker for acquirer-b opened after 20 consecutive failures', { provider: 'acquirer-b' });
  for (let t = from + 120_000; t < to; t += 300_000) emit(t, 'warn', 'Circuit breaker for acquirer-b half-open, probing with 1 request', { provider: 'acquirer-b' });
  emit(to + 60_000, 'info', 'Circuit breaker for acquirer-b closed: probe succeeded', { provider: 'acquirer-b' });
  return out;
}

// ---------------------------------------------------------------- cluster: logfmt
const NODES = ['node-1', 'node-2', 'node-3', 'node-4', 'node-5'];
const APPS = ['web', 'payments', 'inventory', 'pricing', 'recommendation', 'user'];
const NAMESPACES = ['prod', 'prod', 'prod', 'staging', 'kube-system'];
const DISK_PRESSURE = window(5, 3, 30);
const quote = (s: string): string => (/^[^\s"=]+$/.test(s) ? s : `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);

function clusterService(count: number): Entry[] {
  const out: Entry[] = [];
  const emit = (t: number, level: string, component: string, node: string, msg: string, extra: Record<string, string> = {}): void => {
    const pairs = { ts: shanghaiIso(t), level, node, component, ...extra, msg };
    out.push({ t, line: Object.entries(pairs).map(([k, v]) => `${k}=${quote(v)}`).join(' ') });
  };
  while (out.length < count) {
    const t = instant(START, BASE);
    const node = inWindow(t, DISK_PRESSURE) && chance(0.5) ? 'node-4' : pick(NODES);
    const app = pick(APPS);
    const ns = pick(NAMESPACES);
    const pod = `${app}-${hex(9)}-${alnum(5)}`;
    const where = { namespace: ns, pod };
    const kind = weighted({ pull: 5, pulled: 5, started: 6, readiness: 6, liveness: 3, backoff: 2, oom: 1, assign: 6, unschedulable: 1, scale: 2, hpa: 3, proxy: 8, etcd: 2, dns: 12 });
    const ver = `v${int(1, 3)}.${int(0, 20)}.${int(0, 9)}`;
    const make: Record<typeof kind, () => void> = {
      pull: () => emit(t, 'info', 'kubelet', node, `Pulling image "registry.local/${app}:${ver}"`, where),
      pulled: () => emit(t, 'info', 'kubelet', node, `Successfully pulled image "registry.local/${app}:${ver}" in ${int(1, 40)}.${int(100, 999)}s`, where),
      started: () => emit(t, 'info', 'kubelet', node, `Started container ${app}`, where),
      readiness: () => emit(t, 'warn', 'kubelet', node, `Readiness probe failed: HTTP probe failed with statuscode: ${pick([500, 503])}`, where),
      liveness: () => emit(t, 'warn', 'kubelet', node, `Liveness probe failed: Get "http://${ip()}:8080/healthz": context deadline exceeded`, where),
      backoff: () => emit(t, 'error', 'kubelet', node, `Back-off restarting failed container ${app} in pod ${pod}`, where),
      oom: () => emit(t, 'error', 'kubelet', node, `Container ${app} was OOMKilled (memory limit ${pick([256, 512, 1024])}Mi)`, where),
      assign: () => emit(t, 'info', 'scheduler', node, `Successfully assigned ${ns}/${pod} to ${node}`, where),
      unschedulable: () => emit(t, 'warn', 'scheduler', node, `0/${NODES.length} nodes are available: ${int(1, 3)} Insufficient cpu, ${int(1, 2)} node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }`, where),
      scale: () => emit(t, 'info', 'controller-manager', node, `Scaled ${pick(['up', 'down'])} replica set ${app}-${hex(9)} to ${int(1, 12)}`, { namespace: ns }),
      hpa: () => { const from = int(2, 8); emit(t, 'info', 'controller-manager', node, `HPA ${ns}/${app} scaled from ${from} to ${from + int(1, 4)} replicas (cpu ${int(71, 140)}% > target 70%)`, { namespace: ns }); },
      proxy: () => emit(t, 'debug', 'kube-proxy', node, `Syncing iptables rules took ${latency(40)}ms (${int(80, 140)} services)`),
      etcd: () => emit(t, 'warn', 'etcd', node, pick([`slow fdatasync took ${int(1001, 4000)}ms, expected less than 1s`, `apply request took too long (${int(101, 900)}ms), expected 100ms`])),
      dns: () => emit(t, 'info', 'coredns', node, `${ip()}:${int(30000, 65000)} - ${int(1, 65535)} "${pick(['A', 'AAAA'])} IN ${pick(APPS)}-svc.${ns}.svc.cluster.local. udp ${int(40, 90)} false 512" ${pick(['NOERROR', 'NOERROR', 'NOERROR', 'NXDOMAIN'])} qr,aa,rd ${int(90, 300)} 0.000${int(100, 999)}s`),
    };
    make[kind]();
  }
  const [from, to] = DISK_PRESSURE;
  emit(from, 'warn', 'node-problem-detector', 'node-4', 'Node node-4 condition DiskPressure changed to True (available 3.1Gi, under 10%)');
  emit(from + 60_000, 'error', 'node-controller', 'node-4', 'Node node-4 status is now: NodeNotReady');
  emit(to, 'info', 'node-problem-detector', 'node-4', 'Node node-4 condition DiskPressure changed to False');
  emit(to + 30_000, 'info', 'node-controller', 'node-4', 'Node node-4 status is now: NodeReady');
  return out;
}

// ---------------------------------------------------------------- write
const FILES: Array<[file: string, make: () => Entry[]]> = [
  ['web-shop.log.gz', () => webService(22_000)],
  ['payments.ndjson.gz', () => paymentsService(10_000)],
  ['cluster.logfmt.gz', () => clusterService(8_000)],
];
mkdirSync(args.out, { recursive: true });
for (const [file, make] of FILES) {
  // A stable sort keeps equal timestamps in generation order, so output depends only on the seed.
  const entries = make().sort((a, b) => a.t - b.t);
  const text = `${entries.map((e) => e.line).join('\n')}\n`;
  const gz = gzipSync(text, { level: 9 });
  writeFileSync(join(args.out, file), gz);
  console.log(`${file}: ${entries.length} lines, ${text.length} bytes, ${gz.length} gzipped`);
}
