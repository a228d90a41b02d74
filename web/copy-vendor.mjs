// Copies the pinned Bootstrap build into web/vendor/ (committed, so building Headway needs no npm).
// Run after changing the version in package.json: npm install && npm run vendor
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'node_modules', 'bootstrap', 'dist');
mkdirSync(join(here, 'vendor'), { recursive: true });
for (const file of ['css/bootstrap.min.css', 'js/bootstrap.bundle.min.js'])
    copyFileSync(join(dist, file), join(here, 'vendor', file.split('/')[1]));
console.log('Copied Bootstrap into web/vendor/');
