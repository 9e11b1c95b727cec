// Entry point of the WASM kernels: everything the TypeScript backend calls.
export * from './gemm';
export * from './elementwise';
export * from './dropout';
export * from './tasks';
export * from './finite';
