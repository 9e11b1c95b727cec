// Where the CLI writes: stdout for results, stderr for progress and errors. Tests pass their own.

/** A writable text stream; `isTTY` decides between a progress bar and plain lines. */
export interface CliStream {
  write(text: string): void;
  isTTY?: boolean;
  /** Terminal width, when known (progress bars). */
  columns?: number;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    stdout: {
      write: (t) => void process.stdout.write(t),
      isTTY: process.stdout.isTTY === true,
      columns: process.stdout.columns,
    },
    stderr: {
      write: (t) => void process.stderr.write(t),
      isTTY: process.stderr.isTTY === true,
      columns: process.stderr.columns,
    },
  };
}

/** Collects everything written, for in-process tests. */
export interface CapturedIo extends CliIo {
  out: () => string;
  err: () => string;
}

export function captureIo(options: { tty?: boolean } = {}): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t) => void (out += t), isTTY: false },
    stderr: { write: (t) => void (err += t), isTTY: options.tty ?? false, columns: 80 },
    out: () => out,
    err: () => err,
  };
}
