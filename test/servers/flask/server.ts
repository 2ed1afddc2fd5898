import { join } from 'node:path';
import { fillRegions, pyCompile, PYTHON, spawnServer, template, write, type StackServer } from '../harness';

export const flaskServer: StackServer = {
  stack: 'flask',
  compose(dir, regions) {
    const text = fillRegions(template('flask', 'app.py.tmpl'), regions);
    write(dir, 'app.py', text);
    return text;
  },
  check(dir, regions, port) {
    this.compose(dir, regions, port);
    pyCompile(join(dir, 'app.py'));
  },
  start(dir, regions, port) {
    this.compose(dir, regions, port);
    return spawnServer(PYTHON, ['app.py'], port, {
      cwd: dir,
      env: { PORT: String(port), PYTHONDONTWRITEBYTECODE: '1' },
    });
  },
};
