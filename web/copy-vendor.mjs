// Copies the pinned Bootstrap and tus-js-client builds into web/vendor/ (committed, so building
// Headway needs no npm). Run after changing a version in package.json: npm install && npm run vendor
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, 'node_modules');
mkdirSync(join(here, 'vendor'), { recursive: true });
const files = [
    ['bootstrap/dist/css/bootstrap.min.css', 'bootstrap.min.css'],
    ['bootstrap/dist/js/bootstrap.bundle.min.js', 'bootstrap.bundle.min.js'],
    ['tus-js-client/dist/tus.min.js', 'tus.min.js'], // UMD: defines window.tus
];
for (const [from, to] of files)
    copyFileSync(join(modules, from), join(here, 'vendor', to));
console.log('Copied Bootstrap and tus-js-client into web/vendor/');
