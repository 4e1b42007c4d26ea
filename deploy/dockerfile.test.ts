import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';

/*
 * No Docker engine runs on our machines, so the image is never built here (server/src/app/built-server.int.test.ts
 * runs the same build output with plain node instead). This checks the Dockerfile itself: the linter VS Code's
 * Docker support uses (dockerfile-utils), and the properties deploy/README.md promises.
 */
const root = path.resolve(import.meta.dirname, '..');
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
/** The instructions of the last stage (the image that runs), continuation lines joined. */
const runtime = dockerfile.replace(/\\\n/g, ' ').split(/^FROM /m).at(-1)!;

describe('the Dockerfile', () => {
  it('passes the Dockerfile linter', () => {
    expect(validate(dockerfile).map((diagnostic) => `${diagnostic.range.start.line + 1}: ${diagnostic.message}`)).toEqual([]);
  });

  it('runs the compiled server with plain node under tini, as a non-root user, with a health check', () => {
    expect(runtime).toMatch(/^USER 1000:1000$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(runtime).toMatch(/^CMD \["node", "server\/dist\/main\.js"\]$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\/healthz/m);
    expect(runtime).not.toMatch(/tsx|server\/src|npm (ci|install)/);
  });

  it('ships only build output and production dependencies into the runtime stage', () => {
    const copied = [...runtime.matchAll(/^COPY --from=(\S+) (\S+)/gm)].map((match) => `${match[1]} ${match[2]}`);
    expect(copied.every((entry) => /^prod-deps .*node_modules$|^build .*(dist|package\.json)$/.test(entry)), copied.join('\n')).toBe(true);
    expect(dockerfile).toMatch(/npm ci --omit=dev --workspace server/);
  });

  it('copies every directory the server serves from (widget, explorer, Console) and builds them all', () => {
    const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(packageJson.scripts['build']).toMatch(/build:server/);
    for (const dir of ['widget/dist', 'server/explorer/dist', 'server/console/dist', 'server/dist']) {
      expect(runtime).toContain(`/app/${dir} ./${dir}`);
    }
  });
});
