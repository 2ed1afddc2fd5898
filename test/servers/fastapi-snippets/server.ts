import { join } from 'node:path';
import { fillRegions, pyCompile, PYTHON, spawnServer, template, write, type StackServer } from '../harness';

export const fastapiServer: StackServer = {
  stack: 'fastapi',
  compose(dir, regions) {
    const text = fillRegions(template('fastapi-snippets', 'app.py.tmpl'), regions);
    write(dir, 'app.py', text);
    return text;
  },
  check(dir, regions, port) {
    this.compose(dir, regions, port);
    pyCompile(join(dir, 'app.py'));
  },
  start(dir, regions, port) {
    this.compose(dir, regions, port);
    return spawnServer(
      PYTHON,
      ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(port), '--no-access-log'],
      port,
      { cwd: dir, env: { PYTHONDONTWRITEBYTECODE: '1' } },
    );
  },
};
