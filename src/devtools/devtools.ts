// Creates the "CORS" panel in the inspected tab's DevTools.
import { ext } from '../shared/ext';

// Absolute path: Chrome resolves it against the extension root, Firefox against this page.
ext.devtools.panels.create('CORS', '/icons/icon16.png', '/src/panel/panel.html');
