// The banners under the toolbar: an imported report is shown, the background connection is lost,
// recording is stopped.
import type { Imported } from './hooks/useImport';
import type { LinkState } from './hooks/useConnection';

export interface BannersProps {
  imported: Imported | null;
  link: LinkState;
  recording: boolean;
  onCloseReport(): void;
  onRecord(): void;
}

export function Banners({ imported, link, recording, onCloseReport, onRecord }: BannersProps) {
  if (imported) {
    return (
      <div class="banner banner-imported" data-testid="imported-banner" role="status">
        <span>
          Imported report <b>{imported.source}</b> (read-only, {imported.model.size} requests).
          {imported.dropped > 0 && <> {imported.dropped} unreadable entries skipped.</>} The live log keeps recording
          meanwhile.
        </span>
        <button class="btn" data-testid="close-imported" onClick={onCloseReport}>
          Back to the live log
        </button>
      </div>
    );
  }
  return (
    <>
      {link === 'lost' && (
        <div class="banner banner-warn" data-testid="connection-lost" role="status">
          Lost the connection to the CORS Lens background (its service worker restarted). Reconnecting… If this stays,
          the extension was reloaded or updated: close and reopen DevTools.
        </div>
      )}
      {!recording && (
        <div class="banner banner-info" role="status">
          Recording is stopped: requests that start now are not listed.{' '}
          <button class="linkish" onClick={onRecord}>
            Record
          </button>
        </div>
      )}
    </>
  );
}
