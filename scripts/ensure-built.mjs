// Builds the app with electron-vite when out/ is missing or older than any source file, so
// `npm run start:browser` always serves what the sources say without rebuilding every time.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const built = join(root, 'out', 'renderer', 'index.html')

function newest(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))))
}

const sources = ['renderer', 'electron', 'electron.vite.config.ts', 'package.json']
const sourceTime = Math.max(
  ...sources
    .map((s) => join(root, s))
    .filter(existsSync)
    .map(newest),
)
if (!existsSync(built) || statSync(built).mtimeMs < sourceTime) {
  console.log('clockface: building the app (electron-vite build)…')
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
}
