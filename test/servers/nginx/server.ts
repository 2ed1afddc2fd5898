import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fillRegions, mustPass, run, spawnServer, template, write, type StackServer } from '../harness';

export const NGINX = '/usr/sbin/nginx';

/** What answers behind the CORS region, per scenario. */
export const NGINX_BACKENDS = {
  items: 'proxy_pass http://unix:{{DIR}}/app.sock;',
  // The upstream is down: nginx answers 502 itself (add_header without `always` skips it).
  crash: 'proxy_pass http://127.0.0.1:9;',
  // (`return` would run before auth: proxy, as real APIs behind nginx do.)
  private:
    'auth_basic "api";\n            auth_basic_user_file {{DIR}}/htpasswd;\n            proxy_pass http://unix:{{DIR}}/app.sock;',
} as const;

export function nginxServer(backend: keyof typeof NGINX_BACKENDS): StackServer {
  return {
    stack: 'nginx',
    compose(dir, regions, port) {
      mkdirSync(join(dir, 'tmp'), { recursive: true });
      // {SHA} = base64(sha1("secret")); the page sends Basic user:secret.
      write(dir, 'htpasswd', 'user:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n');
      const text = fillRegions(
        template('nginx', 'nginx.conf.tmpl').replace('{{BACKEND}}', NGINX_BACKENDS[backend]),
        regions,
        { DIR: dir, PORT: port },
      );
      write(dir, 'nginx.conf', text);
      return text;
    },
    check(dir, regions, port) {
      this.compose(dir, regions, port);
      mustPass(
        'nginx -t',
        run(NGINX, ['-t', '-q', '-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')]),
      );
    },
    start(dir, regions, port) {
      this.compose(dir, regions, port);
      return spawnServer(NGINX, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], port);
    },
  };
}
