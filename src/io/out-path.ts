// Where a command may write. Every output path is vetted here before anything is written: a path
// is used when it is new, when it holds backprop's own earlier output, or (with `overwrite`) a
// directory whose other files are then left alone. Only the output's own file names are ever
// replaced, never a directory, and a symbolic link is never followed into a replacement.
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { FileError } from '../core/errors.js';
import { fileError, parseTempName, processAlive, writeFileAtomic } from './atomic.js';
import { MODEL_FILE, parseModelJson, WEIGHTS_FILE } from './model-names.js';

/** How a write treats an output path that already holds files. */
export interface OutOptions {
  /**
   * Also write into a non-empty directory that holds nothing backprop wrote, or replace an existing
   * file of the output's names that backprop did not write. Other files are still left alone.
   */
  overwrite?: boolean;
}

/** An output written into a directory (a model, a report, plots). */
export interface DirOutSpec {
  /** What is written, for messages: 'the model', 'the report'. */
  what: string;
  /** The names of the files written into the directory: the only files ever replaced there. */
  files: readonly string[];
}

/**
 * The mark in every HTML and SVG file backprop writes: such a file may be replaced without
 * `overwrite`. Python scripts and text notes carry the line `# written by backprop` instead.
 */
export const GENERATED_MARK = '<!-- written by backprop -->';

/** Where an HTML or SVG file carries GENERATED_MARK (it follows the doctype or XML declaration). */
const MARK_WITHIN = 512;

type Found =
  | { kind: 'missing' }
  | { kind: 'directory' }
  | { kind: 'file'; size: number }
  | { kind: 'link'; target: string }
  | { kind: 'other' };

/**
 * Checks that `file` may be written, writing nothing: it is missing (and its directory can be
 * created), an empty file, or a file and `overwrite` is set. Directories, symbolic links and
 * devices are refused. `what` names the output in messages; `name` is a file name to suggest when
 * `file` is a directory.
 *
 * @example
 * await checkFileOut('out/predictions.csv', { what: 'the predictions' });
 */
export async function checkFileOut(
  file: string,
  options: OutOptions & { what?: string; name?: string } = {},
): Promise<void> {
  await vetFile(file, options);
  await probeDirs(path.dirname(path.resolve(file)), path.dirname(file));
}

/** Vets `file` as checkFileOut does, creates its directory and writes `data` atomically. */
export async function writeFileOut(
  file: string,
  data: Uint8Array | string,
  options: OutOptions & { what?: string; name?: string } = {},
): Promise<void> {
  await vetFile(file, options);
  await makeDirs(path.dirname(path.resolve(file)), path.dirname(file));
  await writeFileAtomic(file, data);
}

/**
 * Checks that `spec` may be written into the directory `dir`, writing nothing (a missing `dir` is
 * created and removed again to prove it can be). See vetDirOut for the rules.
 */
export async function checkDirOut(dir: string, spec: DirOutSpec, options: OutOptions = {}): Promise<void> {
  if ((await vetDirOut(dir, spec, options)) === 'missing') await probeDirs(path.resolve(dir), dir);
  else
    await fs.access(dir, fs.constants.W_OK).catch((e: unknown) => {
      throw fileError(`cannot write ${spec.what} to '${dir}'`, e);
    });
}

/**
 * Vets `dir` (vetDirOut), creates it if missing and removes temporary files of `spec.files` left by
 * processes that no longer run. Then each file may be written with writeFileAtomic.
 *
 * @example
 * await prepareDirOut('reports/iris', { what: 'the report', files: ['report.html'] }, { overwrite: false });
 */
export async function prepareDirOut(dir: string, spec: DirOutSpec, options: OutOptions = {}): Promise<void> {
  if ((await vetDirOut(dir, spec, options)) === 'missing') await makeDirs(path.resolve(dir), dir);
  await removeStaleTemps(dir, spec.files);
}

/**
 * The rules for a directory output. Refused always: a path that is a file, a device or a symbolic
 * link; one of `spec.files` that is a directory or a link. Refused unless `overwrite`: a non-empty
 * directory holding nothing backprop wrote; one of `spec.files` that backprop did not write.
 * Backprop wrote a model.json whose format is backprop's (and then the weights beside it) and an
 * HTML or SVG file carrying GENERATED_MARK. Resolves to whether `dir` exists.
 */
export async function vetDirOut(
  dir: string,
  spec: DirOutSpec,
  options: OutOptions = {},
): Promise<'missing' | 'directory'> {
  const abs = path.resolve(dir);
  const found = await inspect(abs, dir);
  switch (found.kind) {
    case 'missing':
      return 'missing';
    case 'link':
      throw new FileError(
        `refusing to write ${spec.what} to '${dir}': it is a symbolic link (to '${found.target}'); backprop does not write through links, give the path it points to`,
      );
    case 'file':
    case 'other':
      throw new FileError(
        `cannot write ${spec.what} to '${dir}': it is ${found.kind === 'file' ? 'a file' : 'a device, pipe or socket'}, not a directory`,
      );
    case 'directory':
      break;
  }
  const entries = await fs.readdir(abs).catch((e: unknown) => {
    throw fileError(`cannot read directory '${dir}'`, e);
  });
  const own = await ownFiles(abs, entries);
  // Hidden siblings of a checkpoint being swapped (`.checkpoint.PID-HEX.old`) are ours too.
  const others = entries
    .filter((n) => !own.has(n) && parseTempName(n) === null && !/^\.checkpoint\.\d+-[0-9a-f]{8}\.old$/.test(n))
    .sort();
  if (others.length > 0 && own.size === 0 && !options.overwrite) {
    throw new FileError(
      `refusing to write ${spec.what} to '${dir}': the directory is not empty and holds nothing backprop wrote (${listNames(others)}); ` +
        `--overwrite adds ${joinNames(spec.files)} to it and leaves the other files alone`,
    );
  }
  for (const name of spec.files) {
    if (!entries.includes(name)) continue;
    const shown = path.join(dir, name);
    const f = await inspect(path.join(abs, name), shown);
    if (f.kind === 'link')
      throw new FileError(
        `refusing to write ${spec.what} to '${dir}': '${shown}' is a symbolic link (to '${f.target}'); backprop replaces only regular files`,
      );
    if (f.kind !== 'file')
      throw new FileError(
        `cannot write ${spec.what} to '${dir}': '${shown}' is ${f.kind === 'directory' ? 'a directory' : 'not a regular file'}`,
      );
    if (!own.has(name) && !options.overwrite)
      throw new FileError(`refusing to replace '${shown}': backprop did not write it (--overwrite replaces it)`);
  }
  return 'directory';
}

/**
 * Creates `dir` and its missing parents one at a time, resolving to those it created, outermost
 * first. (Node's recursive mkdir loops forever where mkdir fails with ENOENT, as under /proc.)
 * `shown` is the path as the user gave it, for messages.
 */
export async function makeDirs(dir: string, shown: string = dir): Promise<string[]> {
  const missing: string[] = [];
  for (let p = path.resolve(dir); ; p = path.dirname(p)) {
    const found = await inspect(p, shown);
    if (found.kind === 'directory') break;
    if (found.kind === 'link') {
      // A link to a directory is a fine place to create things in; only the output itself is never a link.
      const target = await fs.stat(p).catch(() => null);
      if (target?.isDirectory()) break;
      throw new FileError(
        `cannot create directory '${shown}': '${showPath(p, shown)}' is a symbolic link to ${target ? 'a file' : `'${found.target}', which does not exist`}`,
      );
    }
    if (found.kind !== 'missing')
      throw new FileError(`cannot create directory '${shown}': '${showPath(p, shown)}' is a file`);
    missing.push(p);
    if (path.dirname(p) === p) break;
  }
  const created: string[] = [];
  for (const m of missing.reverse()) {
    try {
      await fs.mkdir(m);
      created.push(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && (await fs.stat(m).catch(() => null))?.isDirectory())
        continue;
      const which = m === path.resolve(dir) ? `'${shown}'` : `'${showPath(m, shown)}' (for '${shown}')`;
      throw fileError(`cannot create directory ${which}`, e);
    }
  }
  return created;
}

/** Removes the temporary files (of writeFileAtomic) for `names` in `dir` whose writer no longer runs. */
export async function removeStaleTemps(dir: string, names: readonly string[]): Promise<void> {
  for (const entry of await fs.readdir(dir)) {
    const t = parseTempName(entry);
    if (t && names.includes(t.target) && !processAlive(t.pid)) await fs.rm(path.join(dir, entry), { force: true });
  }
}

/** The names in `dir` that backprop wrote (see vetDirOut). */
async function ownFiles(abs: string, entries: string[]): Promise<Set<string>> {
  const own = new Set<string>();
  const isModel = async (name: string): Promise<boolean> => {
    const text = await readRegular(path.join(abs, name));
    return text !== null && parseModelJson(text) !== null;
  };
  let model = false;
  if (entries.includes(MODEL_FILE) && (await isModel(MODEL_FILE))) {
    own.add(MODEL_FILE);
    model = true;
  }
  // A first save interrupted between its renames leaves the weights and a complete model.json under its temporary name.
  for (const e of entries) if (!model && parseTempName(e)?.target === MODEL_FILE && (await isModel(e))) model = true;
  if (model && entries.includes(WEIGHTS_FILE)) own.add(WEIGHTS_FILE);
  // A training checkpoint (DIR/checkpoint/checkpoint.json of format backprop-checkpoint).
  if (entries.includes('checkpoint')) {
    const text = await readRegular(path.join(abs, 'checkpoint', 'checkpoint.json'), MARK_WITHIN);
    if (text !== null && /"format":\s*"backprop-checkpoint"/.test(text)) own.add('checkpoint');
  }
  for (const e of entries) {
    if (/\.(html|svg)$/i.test(e)) {
      const head = await readRegular(path.join(abs, e), MARK_WITHIN);
      if (head?.includes(GENERATED_MARK)) own.add(e);
    } else if (/\.(py|txt)$/i.test(e)) {
      // Scripts and notes of an export: `# written by backprop` within their first lines.
      const head = await readRegular(path.join(abs, e), MARK_WITHIN);
      if (head !== null && /^# written by backprop$/m.test(head)) own.add(e);
    }
  }
  return own;
}

/** The text of a regular file (its first `limit` bytes), or null for anything else or an unreadable file. */
async function readRegular(file: string, limit?: number): Promise<string | null> {
  const st = await fs.lstat(file).catch(() => null);
  if (!st?.isFile()) return null;
  try {
    if (limit === undefined) return await fs.readFile(file, 'utf8');
    const handle = await fs.open(file, 'r');
    try {
      const buf = Buffer.alloc(Math.min(limit, st.size));
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

async function vetFile(file: string, options: OutOptions & { what?: string; name?: string }): Promise<void> {
  const what = options.what ?? 'the output';
  const suggestion = options.name ? ` such as '${path.join(file, options.name)}'` : '';
  if (/[\\/]$/.test(file))
    throw new FileError(
      `cannot write ${what} to '${file}': the path ends with a slash, which names a directory; give a file path${suggestion}`,
    );
  const found = await inspect(path.resolve(file), file);
  switch (found.kind) {
    case 'missing':
      return;
    case 'directory':
      throw new FileError(`cannot write ${what} to '${file}': it is a directory; give a file path${suggestion}`);
    case 'link':
      throw new FileError(
        `refusing to write ${what} to '${file}': it is a symbolic link (to '${found.target}'); backprop does not write through links, give the path it points to`,
      );
    case 'other':
      throw new FileError(`cannot write ${what} to '${file}': it is a device, pipe or socket, not a regular file`);
    case 'file':
      if (found.size > 0 && !options.overwrite)
        throw new FileError(`refusing to replace '${file}': the file exists (--overwrite replaces it)`);
  }
}

/** What lies at `p`, without following a final symbolic link. A path through a file is missing. */
async function inspect(p: string, shown: string): Promise<Found> {
  let st: Stats;
  try {
    st = await fs.lstat(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    throw fileError(`cannot inspect '${shown}'`, e);
  }
  if (st.isSymbolicLink()) return { kind: 'link', target: await fs.readlink(p).catch(() => '?') };
  if (st.isDirectory()) return { kind: 'directory' };
  if (st.isFile()) return { kind: 'file', size: st.size };
  return { kind: 'other' };
}

/** Creates the missing part of `dir` and removes it again: proves that it can be created, leaving nothing. */
async function probeDirs(dir: string, shown: string): Promise<void> {
  const created = await makeDirs(dir, shown);
  for (const d of created.reverse()) await fs.rmdir(d).catch(() => undefined);
}

/** `p` (absolute) as the user would write it: relative when `like` is relative. */
function showPath(p: string, like: string): string {
  return path.isAbsolute(like) ? p : path.relative(process.cwd(), p) || '.';
}

function joinNames(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}
