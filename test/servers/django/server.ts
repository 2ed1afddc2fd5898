import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillRegions, pyCompile, PYTHON, SERVERS, spawnServer, template, write, type StackServer } from '../harness';

export const djangoServer: StackServer = {
  stack: 'django',
  compose(dir, regions) {
    const text = fillRegions(template('django', 'settings.py.tmpl'), regions);
    write(dir, 'settings.py', text);
    copyFileSync(join(SERVERS, 'django', 'api.py'), join(dir, 'api.py'));
    return text;
  },
  check(dir, regions, port) {
    this.compose(dir, regions, port);
    pyCompile(join(dir, 'settings.py'));
  },
  start(dir, regions, port) {
    this.compose(dir, regions, port);
    // runserver without the autoreloader: one process, stoppable by its group.
    return spawnServer(PYTHON, ['-m', 'django', 'runserver', '--noreload', `127.0.0.1:${port}`], port, {
      cwd: dir,
      env: { DJANGO_SETTINGS_MODULE: 'settings', PYTHONPATH: dir, PYTHONDONTWRITEBYTECODE: '1' },
    });
  },
};
