/**
 * Serves the built web console (web/dist) at /console/: the few built files are read once at start,
 * with their content types; hashed assets are cached for a year, index.html is revalidated.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { packageRoot } from '../reference/index.js';
import { problem, sendProblem } from './problem.js';

/** Where `npm run build` writes the console. */
export const consoleDistDir = (): string =>
  process.env.PARCELGATE_CONSOLE_DIR ?? join(packageRoot, 'web', 'dist');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
  immutable: boolean;
}

function walk(dir: string, root: string, into: Map<string, StaticFile>): void {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      walk(full, root, into);
      continue;
    }
    const rel = relative(root, full).split(sep).join('/');
    const body = readFileSync(full);
    const hash = (body.length.toString(36) + ':' + statSync(full).mtimeMs.toString(36)).replace('.', '');
    into.set(rel, {
      body,
      type: contentTypes[extname(name)] ?? 'application/octet-stream',
      etag: `"${hash}"`,
      // Vite names built assets with a content hash: they never change under the same name.
      immutable: rel.startsWith('assets/'),
    });
  }
}

/**
 * Registers GET /console and /console/* over the built files (a not-built console answers 404);
 * `onPage` runs whenever the page itself (index.html) is served.
 */
export function registerConsoleStatic(
  app: FastifyInstance,
  dir = consoleDistDir(),
  onPage?: () => void,
): void {
  const files = new Map<string, StaticFile>();
  if (existsSync(join(dir, 'index.html'))) walk(dir, dir, files);
  const notBuilt = (url: string) =>
    problem(404, 'route.not-found', 'the web console is not built: run `npm run build`', { instance: url });

  app.get('/console', { schema: { hide: true } }, (_req, reply) => reply.redirect('/console/', 301));
  app.get('/console/*', { schema: { hide: true } }, (req, reply) => {
    const path = (req.params as { '*': string })['*'] || 'index.html';
    // Unknown paths without an extension are console routes: answer the page, the app routes itself.
    const file = files.get(path) ?? (extname(path) === '' ? files.get('index.html') : undefined);
    if (file === undefined) {
      if (files.size === 0) return sendProblem(reply, notBuilt(req.url));
      return sendProblem(
        reply,
        problem(404, 'route.not-found', `no console file ${path}`, { instance: req.url }),
      );
    }
    if (file.type.startsWith('text/html')) onPage?.();
    reply.header('content-type', file.type);
    reply.header('etag', file.etag);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (req.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.send(file.body);
  });
}
