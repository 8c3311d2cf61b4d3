// `npm test`: type-check both halves, lint, build, then every vitest and Playwright test.
// Each check counts as one test; the last line is "N passed, N failed" for CI.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const bin = (name) => join(root, 'node_modules', '.bin', name)
const reports = join(root, '.tmp', 'test-reports')
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })

let passed = 0
let failed = 0
let skipped = 0
const failures = []

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label} ===`)
  const res = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  })
  return res.status === 0
}

function check(label, command, args) {
  if (run(label, command, args)) passed++
  else {
    failed++
    failures.push(label)
  }
}

check('type-check (node: electron/, test/)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit'])
check('type-check (web: renderer/, electron/shared/)', bin('vue-tsc'), [
  '-p',
  'tsconfig.web.json',
  '--noEmit',
])
check('lint', bin('eslint'), ['.'])
check('format (prettier --check)', bin('prettier'), ['--check', '.'])
check('boundaries (dependency-cruiser: no cycles, no import across the process split)', 'npm', [
  'run',
  '--silent',
  'boundaries',
])
check('build (electron-vite)', bin('electron-vite'), ['build'])

const vitestJson = join(reports, 'vitest.json')
const vitestOk = run('unit and integration tests (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
])
tally('vitest', vitestJson, vitestOk, (r) => ({
  passed: r.numPassedTests,
  failed: r.numFailedTests,
  skipped: r.numPendingTests + r.numTodoTests,
}))

const playwrightJson = join(reports, 'playwright.json')
const playwrightOk = run(
  'end-to-end tests (Playwright, Debian Chromium)',
  bin('playwright'),
  ['test', '--reporter=list,json'],
  {
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
  },
)
tally('playwright', playwrightJson, playwrightOk, (r) => ({
  passed: r.stats.expected + r.stats.flaky,
  failed: r.stats.unexpected,
  skipped: r.stats.skipped,
}))

function tally(label, file, ok, read) {
  if (!existsSync(file)) {
    failed++
    failures.push(`${label}: no report (the runner itself failed)`)
    return
  }
  const counts = read(JSON.parse(readFileSync(file, 'utf8')))
  passed += counts.passed
  failed += counts.failed
  skipped += counts.skipped
  if (counts.failed > 0) failures.push(`${label}: ${counts.failed} failed`)
  else if (!ok) {
    failed++
    failures.push(`${label}: exited with an error outside any test`)
  }
}

console.log('')
if (failures.length > 0) console.log(`Failed: ${failures.join('; ')}`)
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 ? 1 : 0)
