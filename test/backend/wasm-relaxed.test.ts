// The relaxed-SIMD build (fused multiply-add), which Node 20 runs only behind a V8 flag: checked in a
// child process started with the flag, unless this runtime already has it (then wasm.test.ts covers it).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wasmSupport } from '../../src/backend/wasm/index.js';

const support = await wasmSupport();

describe.skipIf(support.relaxed)('wasm backend, relaxed build in a child process', () => {
  it('agrees with the reference on 1 and 2 threads', (ctx) => {
    const child = join(import.meta.dirname, 'relaxed-child.ts');
    let output: string;
    try {
      output = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', child], {
        encoding: 'utf8',
        timeout: 110_000,
      });
    } catch (error) {
      // A Node without the flag (or without relaxed SIMD at all) cannot run this build.
      if (String((error as { stderr?: string }).stderr).includes('bad option'))
        ctx.skip('this Node has no --experimental-wasm-relaxed-simd flag');
      throw error;
    }
    const report = JSON.parse(output.trim().split('\n').pop()!) as {
      relaxed: boolean;
      results: { threads: number; worstExcess: number; cases: number }[];
    };
    if (!report.relaxed) ctx.skip('this runtime does not validate the relaxed-SIMD build even with the flag');
    expect(report.results.length).toBeGreaterThanOrEqual(1);
    for (const r of report.results) {
      expect(r.cases).toBe(56);
      expect(r.worstExcess, `${r.threads} thread(s)`).toBeLessThanOrEqual(0);
    }
  }, 120_000);
});
