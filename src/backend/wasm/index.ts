// The WASM backend's public surface: the factory, the backend class and the runtime probe.

export { WASM_BUILDS, type WasmBuildName, type WasmSupport, wasmSupport } from './support.js';
export { createWasmBackend, WasmBackend, type WasmBackendOptions } from './wasm-backend.js';
