#!/usr/bin/env node
// The `backprop` command line: a thin client of the public API. `run` is the in-process entry point.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { BackpropError, VERSION } from '../node.js';
import { dataCommand } from './data-fetch.js';
import { evalCommand } from './eval.js';
import { exportCommand } from './export.js';
import { gradcheckCommand } from './gradcheck.js';
import { importCommand } from './import.js';
import { type CliIo, processIo } from './io.js';
import { predictCommand } from './predict.js';
import { plotCommand, reportCommand } from './report.js';
import { summaryCommand } from './summary.js';
import { trainCommand } from './train.js';

/**
 * Runs the CLI on `argv` (without `node` and the script) and resolves to the exit code. Errors are
 * one line on stderr: our own (BackpropError) and usage errors without a stack trace.
 *
 * @example
 * await run(['summary', '--model', 'models/digits'], processIo()); // 0
 */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code = 0;
  const setExit = (c: number): void => void (code = c);
  const program = new Command('backprop')
    .description('train, evaluate and inspect fully connected neural networks (MLPs)')
    .version(`backprop ${VERSION}`, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  for (const make of [
    trainCommand,
    evalCommand,
    predictCommand,
    gradcheckCommand,
    summaryCommand,
    exportCommand,
    importCommand,
    dataCommand,
    reportCommand,
    plotCommand,
  ]) {
    program.addCommand(make(io, setExit));
  }
  // Subcommands inherit neither exitOverride nor the output streams: set them on every one.
  const configure = (cmd: Command): void => {
    cmd
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
      .showHelpAfterError('(run with --help for usage)');
    cmd.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    return reportError(e, io);
  }
}

function reportError(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) {
    // Commander has already printed its message (or the help/version text).
    return e.exitCode;
  }
  if (e instanceof BackpropError) {
    io.stderr.write(`error: ${e.message}\n`);
    return 1;
  }
  const errno = e as NodeJS.ErrnoException;
  if (e instanceof Error && typeof errno.code === 'string' && errno.syscall !== undefined) {
    // A file-system failure (permissions, disk full): the message names the path already.
    io.stderr.write(`error: ${e.message}\n`);
    return 1;
  }
  io.stderr.write(`internal error (please report): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 70;
}

/** True when this file is the program node started (not imported by a test). */
function isMain(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  // `backprop predict … | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
