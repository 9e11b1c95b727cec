// Page of the browser test of the wasm backend: runs the checks in a module worker (the backend's
// coordinating thread must be allowed to block, which a window's main thread is not) and exposes
// the worker's report as window.report.
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (event: MessageEvent<unknown>) => {
  (window as unknown as { report: unknown }).report = event.data;
};
worker.onerror = (event) => {
  (window as unknown as { report: unknown }).report = { error: event.message };
};
