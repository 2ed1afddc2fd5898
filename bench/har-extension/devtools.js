// What a DevTools-log source would have to do per request: take the HAR entry DevTools hands
// over and send the fields the linker and the verdict need to the worker.
const port = chrome.runtime.connect({ name: 'har' });
chrome.devtools.network.onRequestFinished.addListener((e) => {
  port.postMessage({
    url: e.request.url,
    method: e.request.method,
    type: e._resourceType,
    initiator: e._initiator,
    status: e.response.status,
    statusText: e.response.statusText,
    requestHeaders: e.request.headers,
    responseHeaders: e.response.headers,
    started: e.startedDateTime,
    time: e.time,
  });
});
