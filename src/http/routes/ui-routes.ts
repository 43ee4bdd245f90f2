import type { FastifyInstance } from 'fastify';

// A placeholder until the web UI lands: it explains where things are and completes the
// one-time login by exchanging the token from the URL for an API token.
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>logsift</title>
<style>body{font:15px system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem}code,pre{background:#f3f3f3;padding:.1rem .3rem}</style></head>
<body><h1>logsift</h1><p>The API is documented at <a href="/docs">/docs</a>. The web UI is not built yet.</p>
<div id="login"></div>
<script>
const t = new URLSearchParams(location.search).get('token');
if (t) {
  fetch('/api/v1/auth/login/', {method:'POST', headers:{'content-type':'application/json'}, body: JSON.stringify({login_token: t})})
    .then(r => r.json()).then(b => {
      const el = document.getElementById('login');
      if (b.result) { el.innerHTML = '<p>Signed in as <b></b>. Your API token (shown once):</p><pre></pre><p>Use it as <code>Authorization: Bearer &lt;token&gt;</code>.</p>';
        el.querySelector('b').textContent = b.data.user.username; el.querySelector('pre').textContent = b.data.token; }
      else { el.textContent = 'Login failed: ' + b.message; }
      history.replaceState(null, '', '/');
    });
}
</script></body></html>`;

export function uiRoutes(app: FastifyInstance): void {
  for (const url of ['/', '/login']) {
    app.get(url, { config: { public: true }, schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  }
}
