import { render } from 'preact';
import { App } from './App';
import { browserEnv } from './platform';

// Performance marks (cheap, inert) that benchmarks read: start here, then 'cors-lens:synced'
// when the first snapshot is applied and 'cors-lens:rows' when its rows are first on screen.
performance.mark('cors-lens:start');
render(<App env={browserEnv()} />, document.getElementById('app')!);
