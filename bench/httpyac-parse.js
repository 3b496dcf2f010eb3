// Parses each .http file named on the command line with httpyac's own
// parser (store.HttpFileStore, which the httpyac CLI and its VS Code
// extension use to read a file before anything else) and prints the number
// of regions found. It only parses: it never calls send() or executes a
// region, so no request leaves the machine and no script runs.
//
//   node bench/httpyac-parse.js FILE.http…   (with httpyac on NODE_PATH)
'use strict';
const fs = require('fs');
const path = require('path');
const { cli, store } = require('httpyac');

async function main(files) {
  if (files.length === 0) {
    console.error('usage: node httpyac-parse.js FILE.http…');
    process.exit(2);
  }
  cli.initFileProvider(); // file access through node:fs, as the httpyac CLI sets it up
  const httpFileStore = new store.HttpFileStore();
  for (const f of files) {
    const abs = path.resolve(f);
    const text = fs.readFileSync(abs, 'utf8');
    const httpFile = await httpFileStore.parse(abs, text, { workingDir: path.dirname(abs), config: {} });
    console.log(`${f}: ${httpFile.httpRegions.length} regions`);
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exit(1);
});
