/** The saved model of a retrained trial: its format, writing a folder and loading it back (see format.ts). */
export * from './format.js';
export * from './write.js';
export * from './load.js';
