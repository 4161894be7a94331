// Serves the built dist/ under /course/fota/, the way a course site would host the sandbox
// in a sub-folder. Only for the browser tests; listens on 127.0.0.1.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/ by default; FOTA_DIST names another build (the measure's floor).
const root = process.env.FOTA_DIST || join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'dist');
const prefix = '/course/fota/';
const port = Number(process.env.PORT || 8090);
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (!path.startsWith(prefix)) {
    res.writeHead(404).end('not under ' + prefix);
    return;
  }
  const rel = normalize(path.slice(prefix.length) || 'index.html');
  if (rel.startsWith('..')) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(join(root, rel.endsWith('/') ? rel + 'index.html' : rel));
    res.writeHead(200, { 'content-type': types[extname(rel)] || 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
}).listen(port, '127.0.0.1', () => console.log(`serving ${root} at http://127.0.0.1:${port}${prefix}`));
