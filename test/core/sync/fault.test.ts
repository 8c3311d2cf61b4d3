/**
 * Proof under network faults: 5,000 punches recorded through the real services while a proxy
 * breaks at least 30% of requests in every way it knows, and the kiosk process is killed with
 * SIGKILL and restarted several times mid-upload. At the end the CRM holds every punch exactly
 * once, the outbox is empty, and only the deliberately invalid punches are dead letters.
 */
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../electron/core/config/config'
import { openKiosk } from '../../../electron/core/kiosk'
import { silentLogger } from '../../../electron/core/logger'
import { importRoster } from '../../../electron/core/roster/import'
import { FAULT_KINDS, startFaultProxy, type FaultProxy } from '../../crm/fault-proxy'
import { TOKEN, tempDir } from '../../crm/fixtures'
import { startReferenceCrm, type ReferenceCrm } from '../../crm/reference-server'

const root = resolve(import.meta.dirname, '../../..')
const total = 5000
const kills = 6
const staff = Array.from({ length: 40 }, (_, i) => ({ id: `E${100 + i}`, badge: `${5000 + i}` }))
// Known to this kiosk, unknown to the CRM: every punch of theirs must end as a dead letter.
const strangers = [
  { id: 'X1', badge: '9901' },
  { id: 'X2', badge: '9902' },
]
const badges = [...staff, ...strangers].map((p) => p.badge).join(',')

let dirs: Awaited<ReturnType<typeof tempDir>>
let crm: ReferenceCrm
let proxy: FaultProxy
let env: NodeJS.ProcessEnv

beforeAll(async () => {
  dirs = await tempDir()
  crm = await startReferenceCrm({ dataDir: join(dirs.dir, 'crm'), tokens: [TOKEN] })
  for (const p of staff)
    await crm.upsertEmployee({ id: p.id, name: `Staff ${p.id}`, active: true, badges: [p.badge] })
  // 5% of each of the ten kinds: half the requests go wrong, 45% fail outright (a margin over
  // the 30% asserted below, whatever the number of requests the kills lead to).
  proxy = await startFaultProxy({
    target: crm.url,
    seed: 20261122,
    faults: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0.05])),
    slowMs: 300,
    retryAfterSeconds: 1,
  })
  const config = {
    site: { id: 'fault-site', name: 'Fault test' },
    timeZone: 'Europe/Berlin',
    attendance: { duplicateWindowSeconds: 0, switchWindowSeconds: 0 },
    crm: {
      url: proxy.url,
      deviceToken: TOKEN,
      deviceId: 'fault-kiosk',
      timeoutSeconds: 1,
      retryBaseMs: 50,
      retryCapSeconds: 2,
    },
  }
  await writeFile(join(dirs.dir, 'config.json'), JSON.stringify(config))
  env = {
    ...process.env,
    CLOCKFACE_CONFIG: join(dirs.dir, 'config.json'),
    CLOCKFACE_DATA_DIR: join(dirs.dir, 'kiosk'),
  }
  const kiosk = await openKiosk({ loaded: loadConfig(env), log: silentLogger, startSync: false })
  const rows = [...staff, ...strangers].map((p) => `${p.id},Person ${p.id},${p.badge}`)
  importRoster(kiosk.store, `id,name,badge\n${rows.join('\n')}`, Date.now())
  await kiosk.close()
})

afterAll(async () => {
  await proxy?.stop()
  await crm?.stop()
  await dirs?.cleanup()
})

/** Runs the kiosk process from punch `first`; kills it after `killAfterMs` unless it finishes. */
function runKiosk(first: number, killAfterMs: number | null) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/fixtures/sync-kiosk.ts',
      String(first),
      String(total - first),
      badges,
    ],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const acked: string[] = []
  let last = first - 1
  let stderr = ''
  let drained = false
  child.stderr.on('data', (chunk) => (stderr += chunk))
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [word, index, id] = line.split(' ')
    if (word === 'ready' && killAfterMs !== null)
      setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    if (word === 'ack') {
      acked.push(id!)
      last = Number(index)
    }
    if (word === 'drained') drained = true
  })
  return new Promise<{ acked: string[]; next: number; drained: boolean; killed: boolean }>(
    (done, fail) =>
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL' && code !== 0)
          fail(new Error(`kiosk exited with ${code}: ${stderr}`))
        else done({ acked, next: last + 1, drained, killed: signal === 'SIGKILL' })
      }),
  )
}

describe('upload under network faults and kiosk crashes', () => {
  it('delivers every punch exactly once and dead-letters only the invalid ones', async () => {
    const acknowledged: string[] = []
    let next = 0
    let killed = 0
    const rounds: string[] = []
    for (let round = 0; round <= kills; round++) {
      const killAfter = round < kills ? 700 + Math.floor(Math.random() * 1500) : null
      const run = await runKiosk(next, killAfter)
      acknowledged.push(...run.acked)
      // A punch durable but killed before its ack line is still in the store; go on after it.
      next = Math.max(next, run.next)
      if (run.killed) killed++
      rounds.push(
        `${run.acked.length} acked${run.killed ? ', killed' : ''}${run.drained ? ', drained' : ''}`,
      )
      if (!run.killed) expect(run.drained).toBe(true)
    }
    expect(killed).toBe(kills)

    const kiosk = await openKiosk({ loaded: loadConfig(env), log: silentLogger, startSync: false })
    try {
      const local = kiosk.store.all<{ id: string; employee_id: string }>(
        'SELECT id, employee_id FROM punches',
      )
      const invalid = new Set(local.filter((p) => p.employee_id.startsWith('X')).map((p) => p.id))
      const valid = local.filter((p) => !invalid.has(p.id)).map((p) => p.id)
      expect(local.length).toBeGreaterThanOrEqual(total)
      expect(new Set(local.map((p) => p.id))).toEqual(
        new Set([...local.map((p) => p.id), ...acknowledged]),
      )

      const atCrm = crm.punches().map((p) => p.punch.id)
      expect(atCrm.length).toBe(new Set(atCrm).size)
      expect(new Set(atCrm)).toEqual(new Set(valid))
      expect(kiosk.sync.outbox.depth()).toMatchObject({ pending: 0, deadLetters: invalid.size })
      expect(new Set(kiosk.sync.outbox.deadLetters().map((d) => d.punchId))).toEqual(invalid)
      expect(kiosk.sync.outbox.deadLetters().every((d) => d.reason === 'unknown_employee')).toBe(
        true,
      )
    } finally {
      await kiosk.close()
    }
    const counts = proxy.counts()
    const requests = Object.values(counts).reduce((a, b) => a + b, 0)
    // "slow" answers in the end; the 30% must be requests that fail outright.
    const failed = FAULT_KINDS.filter((k) => k !== 'slow').reduce((sum, k) => sum + counts[k], 0)
    for (const kind of FAULT_KINDS) expect(counts[kind], kind).toBeGreaterThan(0)
    expect(failed / requests).toBeGreaterThanOrEqual(0.3)
    console.log(`fault test rounds: ${rounds.join(' | ')}\nrequests: ${JSON.stringify(counts)}`)
  }, 600_000)
})
