// The training worker: owns the session, trains in chunks while running (or while replaying a
// link's steps), and posts snapshots to the page, one per frame the page has drawn. It computes on
// the WASM backend where WebAssembly loads, else on the reference backend.
import { type Backend, createWasmBackend, referenceBackend, setWarningHandler } from '../../src/index.js';
import type { BackendInfo, FromWorker, Replay, ToWorker } from './protocol.js';
import { Session } from './session.js';

interface WorkerScope {
  postMessage(message: FromWorker, options?: { transfer?: Transferable[] }): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
}
const scope = self as unknown as WorkerScope;

/** Train at most one epoch per snapshot (the page's frame), and never longer than this. */
const CHUNK_BUDGET_MS = 20;
/** Replaying a link's steps shows progress a few times a second rather than every frame. */
const REPLAY_BUDGET_MS = 150;
/**
 * WASM memory for the models: without cross-origin isolation there is no shared memory, and
 * unshared WASM memory cannot grow, so it is sized up front (runs give theirs back on reset).
 */
const WASM_MEMORY_MIB = 32;

let session: Session | null = null;
let running = false;
/** Steps still to replay from a link (`steps=N`); trained in chunks so the page stays responsive. */
let replay: Replay | null = null;
/** The last snapshot posted and the last one the page has drawn: train further only when it keeps up. */
let sentSeq = 0;
let drawnSeq = 0;
let scheduled = false;

setWarningHandler((message) => scope.postMessage({ type: 'warning', message }));

/**
 * The WASM backend where it loads: two threads in a cross-origin isolated page (the only kind a
 * browser gives shared memory), else one; otherwise the reference backend, with the reason.
 */
async function chooseBackend(): Promise<{ backend: Backend; info: BackendInfo }> {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  try {
    const wasm = await createWasmBackend({ threads: isolated ? 2 : 1, memoryMiB: WASM_MEMORY_MIB });
    return { backend: wasm, info: { name: 'wasm', detail: `${wasm.build} build`, threads: wasm.threads } };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { backend: referenceBackend, info: { name: 'reference', detail: reason, threads: 1 } };
  }
}

/** Messages wait for the backend; promise callbacks run in the order they were added, so messages keep theirs. */
const ready = chooseBackend().then((chosen) => {
  scope.postMessage({ type: 'backend', backend: chosen.info });
  return chosen.backend;
});

function send(): void {
  if (!session) return;
  const snapshot = session.snapshot();
  sentSeq++;
  const transfer = [snapshot.output.buffer, ...snapshot.neurons.map((n) => n.buffer)];
  scope.postMessage(
    { type: 'snapshot', seq: sentSeq, snapshot, running, replay: replay ? { ...replay } : null },
    { transfer },
  );
}

function busy(): boolean {
  return running || replay !== null;
}

function schedule(): void {
  if (scheduled || !busy() || drawnSeq < sentSeq) return;
  scheduled = true;
  setTimeout(chunk, 0);
}

function chunk(): void {
  scheduled = false;
  if (!session || !busy()) return;
  const started = performance.now();
  const budget = replay ? REPLAY_BUDGET_MS : CHUNK_BUDGET_MS;
  const maxSteps = replay ? Infinity : session.batchesPerEpoch;
  for (let i = 0; i < maxSteps && performance.now() - started < budget; i++) {
    session.trainStep();
    if (replay) {
      replay.done++;
      if (replay.done >= replay.total) {
        replay = null;
        break;
      }
    }
    if (session.isDiverged) {
      running = false;
      replay = null;
      break;
    }
  }
  send();
}

function fail(error: unknown): void {
  running = false;
  replay = null;
  scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}

scope.addEventListener('message', (event) => {
  void ready.then((backend) => handle(event.data, backend));
});

function handle(message: ToWorker, backend: Backend): void {
  try {
    switch (message.type) {
      case 'reset':
        // A reset cancels a replay or a run in progress: the chunk loop checks `session` and `replay`.
        running = false;
        replay = null;
        session?.dispose();
        session = null;
        session = new Session(message.config, message.data, backend);
        replay = message.config.steps > 0 ? { done: 0, total: message.config.steps } : null;
        send();
        schedule();
        break;
      case 'update':
        if (session) session.updateHyperParameters(message.config);
        send();
        schedule();
        break;
      case 'play':
        running = session !== null && !session.isDiverged;
        send();
        schedule();
        break;
      case 'pause':
        running = false;
        send();
        break;
      case 'step':
        running = false;
        if (session && !session.isDiverged && replay === null) session.trainStep(true);
        send();
        break;
      case 'walk':
        running = false;
        if (session && !session.isDiverged && replay === null)
          scope.postMessage({ type: 'walk', walk: session.walkthrough() });
        send();
        break;
      case 'ack':
        drawnSeq = Math.max(drawnSeq, message.seq);
        schedule();
        break;
      case 'gradcheck':
        if (session)
          scope.postMessage({
            type: 'gradcheck',
            report: session.gradCheck(message.plantBug),
            step: session.step,
            plantBug: message.plantBug,
          });
        break;
      default: {
        const unknown: never = message;
        throw new Error(`unknown message ${JSON.stringify(unknown)}`);
      }
    }
  } catch (error) {
    fail(error);
  }
}
