import { render } from 'preact';
import { App } from './App';
import { browserEnv } from './platform';

render(<App env={browserEnv()} />, document.getElementById('app')!);
