// Library warnings (e.g. zero initialisation) go through one replaceable handler, console.warn by default.

/** Receives each library warning's text (without the `backprop: ` prefix the default handler adds). */
export type WarningHandler = (message: string) => void;

let handler: WarningHandler = (message) => console.warn(`backprop: ${message}`);

/** Emits a warning through the current handler. */
export function warn(message: string): void {
  handler(message);
}

/**
 * Replaces the warning handler (pass `() => {}` to silence); returns the previous one.
 *
 * @example
 * const seen: string[] = [];
 * const previous = setWarningHandler((m) => seen.push(m));
 * new Dense(2, 2, { init: 'zeros' }); // seen: ['zero initialisation: …']
 * setWarningHandler(previous);
 */
export function setWarningHandler(next: WarningHandler): WarningHandler {
  const previous = handler;
  handler = next;
  return previous;
}
