import { join } from 'node:path';
import { fillRegions, mustPass, run, spawnServer, template, write, type StackServer } from '../harness';

export const CADDY = '/usr/bin/caddy';

const env = (dir: string) => ({
  XDG_DATA_HOME: join(dir, 'xdg-data'),
  XDG_CONFIG_HOME: join(dir, 'xdg-config'),
  HOME: dir,
});

export const caddyServer: StackServer = {
  stack: 'caddy',
  compose(dir, regions, port) {
    const text = fillRegions(template('caddy', 'Caddyfile.tmpl'), regions, { DIR: dir, PORT: port });
    write(dir, 'Caddyfile', text);
    return text;
  },
  check(dir, regions, port) {
    this.compose(dir, regions, port);
    mustPass(
      'caddy validate',
      run(CADDY, ['validate', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], { env: env(dir) }),
    );
  },
  start(dir, regions, port) {
    this.compose(dir, regions, port);
    return spawnServer(CADDY, ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], port, {
      env: env(dir),
    });
  },
};
