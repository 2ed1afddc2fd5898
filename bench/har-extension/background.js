// Receives the forwarded DevTools log entries and does nothing with them (the "bare" consumer).
chrome.runtime.onConnect.addListener((port) => port.onMessage.addListener(() => undefined));
