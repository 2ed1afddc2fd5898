// The "bare listener" profile for the page-overhead benchmark: the same registrations as
// src/background/listen.ts (imported, not copied), each listener an empty function.
import { register } from '../../src/background/listen';

const empty = (_details: object): undefined => undefined;
register(chrome.webRequest, 'chrome', () => empty);
