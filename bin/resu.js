#!/usr/bin/env node
'use strict';
// `resu … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(0);
  throw err;
});
require('../dist/cli/main.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`resu: ${err && err.message ? err.message : err}\n`); process.exitCode = 1; },
);
