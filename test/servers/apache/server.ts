import { join } from 'node:path';
import { fillRegions, mustPass, run, spawnServer, template, write, type StackServer } from '../harness';

export const APACHE = '/usr/sbin/apache2';

const JSON_CGI = (body: string) =>
  `#!/bin/sh\nprintf 'Content-Type: application/json\\r\\nX-Total-Count: 3\\r\\n\\r\\n${body}'\n`;

export const apacheServer: StackServer = {
  stack: 'apache',
  compose(dir, regions, port) {
    write(dir, 'cgi/items', JSON_CGI('[1, 2, 3]'), 0o755);
    write(dir, 'cgi/private', JSON_CGI('{"ok": true}'), 0o755);
    // The application crashes: no headers at all, Apache answers 500 itself.
    write(dir, 'cgi/crash', '#!/bin/sh\necho "boom: the bug CORS errors hide" >&2\nexit 1\n', 0o755);
    write(dir, 'ready.txt', 'ok');
    write(dir, 'htpasswd', 'user:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n', 0o644);
    const text = fillRegions(template('apache', 'httpd.conf.tmpl'), regions, { DIR: dir, PORT: port });
    write(dir, 'httpd.conf', text);
    return text;
  },
  check(dir, regions, port) {
    this.compose(dir, regions, port);
    mustPass('apache2 -t', run(APACHE, ['-t', '-d', dir, '-f', join(dir, 'httpd.conf')]));
  },
  start(dir, regions, port) {
    this.compose(dir, regions, port);
    return spawnServer(APACHE, ['-d', dir, '-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], port);
  },
};
