/** Makes sure the renderer is built once before any end-to-end test starts a host. */
import { execFileSync } from 'node:child_process'
import { root } from './host'

export default function globalSetup(): void {
  execFileSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: root, stdio: 'inherit' })
}
