// The library version written into model.json (kept equal to package.json's by a test).
/** The library's version (package.json's), written into model.json. */
export const VERSION = '0.1.0';
