// serve.mjs - a small static file server for dist/ (no dependencies).
//   node scripts/serve.mjs [dir]        serves on http://127.0.0.1:$PORT (default 8080)
// Also imported by the browser tests: serve(dir, port, prefix, options) -> Promise<{server, url}>.
// Every response carries Access-Control-Allow-Origin: *, so the page also starts in an iframe
// sandboxed without allow-same-origin (docs/embedding.md).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.css': 'text/css; charset=utf-8', '.ico': 'image/x-icon', '.md': 'text/plain; charset=utf-8',
};

const HASHED = /\.[0-9a-f]{8}\.(js|wasm|css)$/;

// prefix: serve the site under a sub-path (e.g. '/course/app/'), as static hosts do.
// options.headers: more headers for HTML pages (a Content-Security-Policy, say);
// options.cors: false leaves out Access-Control-Allow-Origin (as a host that does not send it).
export function serve(dir, port = 0, prefix = '/', { headers = {}, cors = true } = {}) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (!path.startsWith(prefix)) { res.writeHead(404); res.end('not found'); return; }
      path = path.slice(prefix.length);
      if (path === '' || path.endsWith('/')) path += 'index.html';
      const file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) { res.writeHead(403); res.end(); return; }
      const info = await stat(file);
      if (!info.isFile()) { res.writeHead(404); res.end('not found'); return; }
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] || 'application/octet-stream',
        'Content-Length': body.length,
        // Content-hashed names (index.3f9a1c2b.wasm) never change content: cache them for ever.
        'Cache-Control': HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
        ...(cors ? { 'Access-Control-Allow-Origin': '*' } : {}),
        ...(extname(file) === '.html' ? headers : {}),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  return new Promise((ok, err) => {
    server.once('error', err);
    server.listen(port, '127.0.0.1', () => {
      ok({ server, url: `http://127.0.0.1:${server.address().port}${prefix}` });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] || 'dist';
  const port = Number(process.env.PORT || 8080);
  serve(dir, port).then(({ url }) => {
    console.log(`SplineScope is served at ${url}  (Ctrl+C to stop)`);
  }, (e) => {
    console.error(`could not serve ${dir} on port ${port}: ${e.message}` +
                  (e.code === 'EADDRINUSE' ? ' (set PORT to use another port)' : ''));
    process.exit(1);
  });
}
