/**
 * "Last Sync of Checkin" moves only once the kiosk's queue is empty: the real uploader on a real
 * store, the Frappe connector and the fake site on 127.0.0.1.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { frappeConnector } from '../../../electron/core/connectors/frappe/frappe'
import { frappeSettings } from '../../../electron/core/connectors/frappe/settings'
import { silentLogger } from '../../../electron/core/logger'
import { Uploader } from '../../../electron/core/sync/uploader'
import { openTestKiosk, sampleRosterCsv, type TestKiosk } from '../../fixtures/kiosk'
import { ManualScheduler } from '../../fixtures/manual-scheduler'
import { startFakeFrappe, type FakeFrappe } from './fake-frappe'
import { contextFor } from './punches'

let t: TestKiosk
let site: FakeFrappe
let scheduler: ManualScheduler

beforeEach(async () => {
  t = await openTestKiosk()
  t.importCsv(sampleRosterCsv)
  scheduler = new ManualScheduler(t.clock.now + 3_600_000)
  site = await startFakeFrappe({
    zone: 'Europe/Berlin',
    staff: [{ id: 'E001', name: 'Zhang Wei' }],
    shiftTypes: ['Day', 'Night'],
  })
})
afterEach(async () => {
  await site.stop()
  await t.cleanup()
})

function uploader(shiftTypes: string[], holdBackMs = 0): Uploader {
  const settings = frappeSettings.parse({
    apiKey: site.apiKey,
    apiSecret: site.apiSecret,
    shiftTypes,
  })
  const client = frappeConnector(
    site.url,
    { ...settings, apiKey: site.apiKey, apiSecret: site.apiSecret },
    contextFor('Europe/Berlin'),
  )
  return new Uploader({
    outbox: t.kiosk.sync.outbox,
    client,
    scheduler,
    policy: { baseMs: 1000, capMs: 300_000 },
    batchSize: 50,
    holdBackMs,
    log: silentLogger,
    onConnection: () => {},
    onProgress: () => {},
    random: () => 0.5,
  })
}

async function punch(badge: string): Promise<void> {
  t.clock.advance(200_000)
  expect((await t.kiosk.gate('attendance:badge', { badge })).ok).toBe(true)
}

const shiftPuts = () => site.requests.filter((r) => r.method === 'PUT').map((r) => r.path)

describe('Frappe Shift Type last sync', () => {
  it('advances every configured Shift Type only after the queue has drained', async () => {
    await punch('10001')
    site.faults.push({ status: 503, body: 'Service Unavailable' })
    const u = uploader(['Day', 'Night'])
    u.wake('start')
    await u.idle()
    expect(t.kiosk.sync.outbox.depth().pending).toBe(1)
    expect(shiftPuts()).toEqual([])

    await scheduler.advance(scheduler.pending()[0]!)
    await u.idle()
    expect(t.kiosk.sync.outbox.depth().pending).toBe(0)
    expect(site.checkins).toHaveLength(1)
    expect(shiftPuts()).toEqual([
      '/api/resource/Shift%20Type/Day',
      '/api/resource/Shift%20Type/Night',
    ])
    expect(site.shiftTypes.get('Day')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    u.stop()
  })

  it('leaves it alone while a punch is still queued, and when not configured', async () => {
    await punch('10001')
    const held = uploader(['Day'], 3_600_000)
    held.wake('start')
    await held.idle()
    held.stop()
    expect(t.kiosk.sync.outbox.depth().pending).toBe(1)
    expect(shiftPuts()).toEqual([])

    const off = uploader([])
    off.wake('start')
    await off.idle()
    off.stop()
    expect(t.kiosk.sync.outbox.depth().pending).toBe(0)
    expect(shiftPuts()).toEqual([])
  })
})
