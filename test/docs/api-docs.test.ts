// The API reference (`npm run docs`, typedoc.json) builds without a warning: every public export of
// backprop, backprop/node and backprop/onnx has a doc comment, and every type it names is exported
// or listed in typedoc.json's intentionallyNotExported. Validation only (`--emit none`): nothing is written.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const TYPEDOC = path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');

/**
 * TypeDoc with an options file, validating only. Type errors are `npm run typecheck`'s job:
 * --skipErrorChecking leaves them out here and saves about a third of the run.
 */
function typedoc(options: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [TYPEDOC, '--options', options, '--emit', 'none', '--skipErrorChecking'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 170_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('the API reference', () => {
  it('typedoc.json accepts every public export (each has a doc comment)', () => {
    const r = typedoc(path.join(ROOT, 'typedoc.json'));
    // The output names each undocumented export; show it when the check fails.
    expect(r.output).not.toMatch(/\[(warning|error)\]/);
    expect(r.status).toBe(0);
  }, 180_000);

  it('fails on an undocumented export, naming it', () => {
    // fixtures/typedoc.json extends the project's typedoc.json, with fixtures/undocumented.ts as its entry point.
    const r = typedoc(path.join(ROOT, 'test', 'docs', 'fixtures', 'typedoc.json'));
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(
      /undocumentedExport \(CallSignature\), defined in .*undocumented\.ts, does not have any documentation/,
    );
    expect(r.output).not.toMatch(/\bdocumented \(CallSignature\)/);
  }, 180_000);
});
