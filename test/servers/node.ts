// The Node stacks share one harness: an ESM server file composed from the template.
import type { StackId } from '../../src/core/snippets/types';
import { fillRegions, jsParse, linkNodeModules, spawnServer, template, write, type StackServer } from './harness';

export function nodeServer(stack: StackId & ('express' | 'fastify' | 'hono' | 'koa')): StackServer {
  return {
    stack,
    compose(dir, regions) {
      const text = fillRegions(template(stack, 'server.mjs.tmpl'), regions);
      write(dir, 'server.mjs', text);
      linkNodeModules(dir);
      return text;
    },
    check(dir, regions, port) {
      jsParse(this.compose(dir, regions, port), `${stack} server.mjs`);
    },
    start(dir, regions, port) {
      this.compose(dir, regions, port);
      return spawnServer(process.execPath, ['server.mjs'], port, {
        cwd: dir,
        env: { PORT: String(port), NODE_ENV: 'production' },
      });
    },
  };
}
