// The blas backend's public surface (Node only: it loads a native library through koffi).
export { BlasBackend, createBlasBackend, type BlasBackendOptions } from './blas-backend.js';
export { loadBlas, defaultLibraries, type BlasLibrary } from './library.js';
