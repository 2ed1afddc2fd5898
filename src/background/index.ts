// Background entry (Chrome service worker / Firefox event page). Listeners are registered at
// top level, synchronously, so an event that wakes the worker is delivered to them.
import { listen } from './listen';
import { Pipeline } from './pipeline';
import { servePanels } from './ports';

const pipeline = new Pipeline(__BROWSER__);
listen((batch) => pipeline.ingest(batch));
servePanels(pipeline);
