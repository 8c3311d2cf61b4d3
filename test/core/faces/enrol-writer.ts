/**
 * Crash-test child: opens the kiosk on the data folder in argv[2], enrols E001 once, then
 * re-enrols E002 again and again until killed. Prints `ok <seed>` only after an enrolment
 * returned, so the last `ok` names the enrolment an admin was told had worked.
 */
import { openKiosk } from '../../../electron/core/kiosk'
import { silentLogger } from '../../../electron/core/logger'
import { importRoster } from '../../../electron/core/roster/import'
import { variants } from '../../fixtures/descriptors'
import { sampleRosterCsv, testConfig } from '../../fixtures/kiosk'

const say = (line: string) => process.stdout.write(`${line}\n`)
const [dataDir] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: enrol-writer <data dir>')
const kiosk = await openKiosk({
  loaded: { config: testConfig(), dataDir, path: '(test)', fromFile: false },
  startSync: false,
  log: silentLogger,
})
importRoster(kiosk.store, sampleRosterCsv, Date.now())
const consent = { method: 'paper' as const, signedAt: Date.now() }
await kiosk.faces.enrolDescriptors('E001', variants(1, 3), consent, 'test')
say('ok 1')
for (let seed = 100; ; seed++) {
  await kiosk.faces.enrolDescriptors('E002', variants(seed, 3), consent, 'test')
  say(`ok ${seed}`)
}
