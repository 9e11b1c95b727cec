// Error classes named for what went wrong, and a check helper that builds its message only on failure.

/**
 * Base class of every error backprop throws on purpose; the subclass says what went wrong and the
 * message names the values involved.
 *
 * @example
 * try {
 *   new Dense(3, 2).forward(Tensor.zeros([1, 4]), { training: false });
 * } catch (e) {
 *   if (e instanceof ShapeError) console.error(e.message); // names the 4 features and the 3 expected
 * }
 */
export class BackpropError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Tensor shapes that do not fit an operation (e.g. a layer's input width). */
export class ShapeError extends BackpropError {}

/** Options or hyper-parameters that are invalid (unknown activation, negative learning rate, ...). */
export class ConfigError extends BackpropError {}

/** Data that cannot be used: NaN or Infinity, a missing column, an empty file, an unseen label. */
export class DataError extends BackpropError {}

/** A file whose contents are not what its format promises (truncated, corrupt, lying header). */
export class FormatError extends BackpropError {}

/**
 * A path that cannot or may not be written: an output that would replace files backprop did not
 * write, a directory that cannot be created, a full disk, missing permissions.
 */
export class FileError extends BackpropError {}

type ErrorClass = new (message: string) => BackpropError;

/**
 * Throws `new Kind(message())` when `condition` is false. The message is a closure so that the
 * (sometimes costly) text is built only when the check fails.
 */
export function check(condition: boolean, Kind: ErrorClass, message: () => string): asserts condition {
  if (!condition) throw new Kind(message());
}
