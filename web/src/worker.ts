// The training worker: owns the session, trains in chunks while running, and posts snapshots to the page.
import { setWarningHandler } from '../../src/index.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { Session } from './session.js';

interface WorkerScope {
  postMessage(message: FromWorker, options?: { transfer?: Transferable[] }): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
}
const scope = self as unknown as WorkerScope;

/** Train at most one epoch per snapshot (the page's frame), and never longer than this. */
const CHUNK_BUDGET_MS = 20;

let session: Session | null = null;
let running = false;
/** Snapshots posted and not yet taken by the page: train further only when it keeps up. */
let inFlight = 0;
let scheduled = false;

setWarningHandler((message) => scope.postMessage({ type: 'warning', message }));

function send(): void {
  if (!session) return;
  const snapshot = session.snapshot();
  inFlight++;
  const transfer = [snapshot.output.buffer, ...snapshot.neurons.map((n) => n.buffer)];
  scope.postMessage({ type: 'snapshot', snapshot, running }, { transfer });
}

function schedule(): void {
  if (scheduled || !running || inFlight > 0) return;
  scheduled = true;
  setTimeout(chunk, 0);
}

function chunk(): void {
  scheduled = false;
  if (!session || !running) return;
  const started = performance.now();
  for (let i = 0; i < session.batchesPerEpoch && performance.now() - started < CHUNK_BUDGET_MS; i++) {
    session.trainStep();
    if (session.isDiverged) {
      running = false;
      break;
    }
  }
  send();
}

function fail(error: unknown): void {
  running = false;
  scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}

scope.addEventListener('message', (event) => {
  const message = event.data;
  try {
    switch (message.type) {
      case 'reset':
        running = false;
        session = null;
        session = new Session(message.config);
        for (let i = 0; i < message.config.steps && !session.isDiverged; i++) session.trainStep();
        send();
        break;
      case 'play':
        running = session !== null && !session.isDiverged;
        send();
        break;
      case 'pause':
        running = false;
        send();
        break;
      case 'step':
        running = false;
        if (session && !session.isDiverged) session.trainStep();
        send();
        break;
      case 'ack':
        inFlight = Math.max(0, inFlight - 1);
        schedule();
        break;
      case 'gradcheck':
        if (session) scope.postMessage({ type: 'gradcheck', report: session.gradCheck(), step: session.step });
        break;
      default: {
        const unknown: never = message;
        throw new Error(`unknown message ${JSON.stringify(unknown)}`);
      }
    }
  } catch (error) {
    fail(error);
  }
});
