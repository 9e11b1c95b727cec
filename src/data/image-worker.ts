// A decoding worker: reads, decodes and converts the image files it is sent into the shared byte
// buffer, each at its own slot, and answers with the first error (as its class name and message).
import { parentPort } from 'node:worker_threads';
import { type DecodeJob, decodeInto } from './image-decode-job.js';

parentPort!.on('message', (job: DecodeJob) => {
  try {
    decodeInto(job);
    parentPort!.postMessage({ ok: true });
  } catch (e) {
    parentPort!.postMessage({ ok: false, name: (e as Error).name, message: (e as Error).message });
  }
});
