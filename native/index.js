// Entry point of the optional native kernels: the addon node-gyp built at install time. Loading throws when it
// was not built (no compiler or no CBLAS at install); embnas then runs its tower on wasm.
'use strict';
module.exports = require('./build/Release/embnas_native.node');
