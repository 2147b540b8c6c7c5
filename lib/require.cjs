'use strict';
// The package's `require` entry. Where this Node.js can require() an ES module (20.19 and later), it loads the
// ES module build, so that `import` and `require` share one copy of the module's classes and metadata. Where
// it cannot (older Node.js, jest's CommonJS mode), it loads the CommonJS build.
let loaded;
try {
  loaded = require('./esm/index.js');
} catch {
  loaded = require('./cjs/index.js');
}
module.exports = loaded;
