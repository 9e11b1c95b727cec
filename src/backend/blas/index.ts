// The blas backend's public surface (Node only: it loads a native library through koffi).
export { BlasBackend, type BlasBackendOptions, createBlasBackend } from './blas-backend.js';
export { type BlasLibrary, defaultLibraries, loadBlas } from './library.js';
