// The WASM backend's public surface: the factory, the backend class and the runtime probe.
export { WasmBackend, createWasmBackend, type WasmBackendOptions } from './wasm-backend.js';
export { WASM_BUILDS, wasmSupport, type WasmBuildName, type WasmSupport } from './support.js';
