// A Vite plugin for the browser build: the library's public entry also exports Node-only helpers
// (files, reports), so their `node:*` imports resolve to stubs that throw only if they are called.
import { builtinModules } from 'node:module';
import type { Plugin } from 'vite';

const PREFIX = '\0node-stub:';

function isBuiltin(id: string): boolean {
  return id.startsWith('node:') || builtinModules.includes(id);
}

/** Stubs every Node built-in with its real export names; touching a stub in the browser throws a clear error. */
export function nodeStubs(): Plugin {
  return {
    name: 'backprop-node-stubs',
    enforce: 'pre',
    resolveId(id) {
      return isBuiltin(id) ? PREFIX + id : null;
    },
    async load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const name = id.slice(PREFIX.length);
      const real = (await import(name)) as Record<string, unknown>;
      const names = Object.keys(real).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
      return [
        `const unavailable = (what) => new Proxy(function () {}, {`,
        `  get: (_, key) => (typeof key === 'symbol' ? undefined : unavailable(what + '.' + key)),`,
        `  apply: () => { throw new Error(what + ' is not available in the browser'); },`,
        `  construct: () => { throw new Error(what + ' is not available in the browser'); },`,
        `});`,
        `export default unavailable(${JSON.stringify(name)});`,
        ...names.map((n) => `export const ${n} = unavailable(${JSON.stringify(`${name}.${n}`)});`),
      ].join('\n');
    },
  };
}
