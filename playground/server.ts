// Starts the playground: a page origin serving the playground page and an API origin programmed
// with every scenario's CORS behaviour. Both on 127.0.0.1 with free ports.
import { startApi, startPages, type ApiServer, type RunningServer } from '../test/support/servers';
import { PLAYGROUND, playgroundHtml } from './scenarios';

export interface Playground {
  api: ApiServer;
  pages: RunningServer;
  url: string;
  close(): Promise<void>;
}

export async function startPlayground(): Promise<Playground> {
  const api = await startApi();
  for (const s of PLAYGROUND) api.route(s.path, s.route);
  const pages = await startPages({ '/': playgroundHtml(api.origin) });
  return {
    api,
    pages,
    url: `${pages.origin}/`,
    async close() {
      await api.close();
      await pages.close();
    },
  };
}
