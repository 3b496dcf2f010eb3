// Renders images/icon.svg to images/icon.png (128×128) with headless
// chromium: node scripts/icon.js (playwright-core on NODE_PATH, as
// test/e2e.sh installs it). The PNG is committed; run this after editing
// the SVG.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

(async () => {
  const dir = path.join(__dirname, '..', 'images');
  const svg = fs.readFileSync(path.join(dir, 'icon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.screenshot({ path: path.join(dir, 'icon.png'), omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
  await browser.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
