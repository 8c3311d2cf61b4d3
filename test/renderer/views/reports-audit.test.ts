import { enableAutoUnmount, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type {
  AttendanceReportView,
  AuditEntryView,
  DaySummaryView,
} from '../../../electron/shared/attendance-types'
import App from '../../../renderer/src/App.vue'
import {
  adminSession,
  fakeClockEachTest,
  fakeKiosk,
  freshPinia,
  settle,
  type FakeHandlers,
} from '../fake-kiosk'

// jsdom cannot draw on a canvas; a chart here shows the points it was given (Chromium draws
// the real ones in the end-to-end test).
vi.mock('vue-chartjs', async () => {
  const { defineComponent, h } = await import('vue')
  const chart = (type: string) =>
    defineComponent({
      props: { data: { type: Object, required: true }, options: { type: Object, default: null } },
      setup: (props) => () =>
        h('canvas', {
          'data-chart': type,
          'data-labels': JSON.stringify(props.data.labels),
          'data-points': JSON.stringify(props.data.datasets[0].data),
        }),
    })
  return { Bar: chart('bar'), Line: chart('line') }
})

/** A Blob's bytes; jsdom's Blob has no arrayBuffer(), its FileReader does the reading. */
function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer))
    reader.onerror = () => reject(reader.error)
    reader.readAsArrayBuffer(blob)
  })
}
const textOf = async (blob: Blob) => new TextDecoder().decode(await bytesOf(blob))

enableAutoUnmount(afterEach)
fakeClockEachTest(Date.parse('2026-03-10T02:00:00Z'))

/** What the page handed to the browser as downloads: name and content. */
let saved: { name: string; blob: Blob }[]
beforeEach(() => {
  saved = []
  const blobs = new Map<string, Blob>()
  // jsdom has neither object URLs nor downloads: record what a browser would save.
  vi.stubGlobal(
    'URL',
    Object.assign(URL, {
      createObjectURL: (blob: Blob) => {
        const url = `blob:test/${blobs.size}`
        blobs.set(url, blob)
        return url
      },
      revokeObjectURL: (url: string) => blobs.delete(url),
    }),
  )
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    saved.push({ name: this.download, blob: blobs.get(this.href)! })
  })
})
afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

function day(overrides: Partial<DaySummaryView>): DaySummaryView {
  return {
    employeeId: 'E1001',
    employeeName: 'Anna Li',
    date: '2026-03-09',
    status: 'present',
    firstIn: '08:55',
    lastOut: '18:00',
    workedMinutes: 545,
    lateMinutes: 0,
    earlyMinutes: 0,
    missingCheckout: false,
    autoCheckout: false,
    corrections: 0,
    ...overrides,
  }
}

function report({ from, to }: { from: string; to: string }): AttendanceReportView {
  return {
    from,
    to,
    days: [
      day({}),
      day({ date: '2026-03-10', firstIn: '09:20', lateMinutes: 20 }),
      day({ employeeId: 'E2002', employeeName: 'Bo Chen', status: 'absent', firstIn: null }),
    ],
    totals: [
      {
        employeeId: 'E1001',
        employeeName: 'Anna Li',
        daysPresent: 2,
        daysAbsent: 0,
        lateCount: 1,
        lateMinutes: 20,
        earlyCount: 0,
        earlyMinutes: 0,
        missingCheckouts: 0,
        workedMinutes: 1090,
        attendanceRate: 1,
      },
      {
        employeeId: 'E2002',
        employeeName: 'Bo Chen',
        daysPresent: 0,
        daysAbsent: 1,
        lateCount: 0,
        lateMinutes: 0,
        earlyCount: 0,
        earlyMinutes: 0,
        missingCheckouts: 0,
        workedMinutes: 0,
        attendanceRate: 0,
      },
    ],
  }
}

async function openSection(section: 'reports' | 'audit', handlers: Partial<FakeHandlers>) {
  const kiosk = fakeKiosk({
    unlockAdmin: () => adminSession(),
    getDayBoard: () => ({
      date: '2026-03-10',
      at: '2026-03-10T02:00:00Z',
      inNow: [],
      lateToday: [],
      notYetIn: [],
      openCheckouts: [],
      pendingCorrections: [],
    }),
    getAttendanceReport: report,
    ...handlers,
  })
  const wrapper = mount(App, { global: { plugins: [freshPinia()] }, attachTo: document.body })
  await settle()
  await wrapper.get('[data-testid="admin-open"]').trigger('click')
  for (const digit of '2468') await wrapper.get(`[data-testid="pin-key-${digit}"]`).trigger('click')
  await wrapper.get('[data-testid="pin-submit"]').trigger('click')
  await settle()
  await wrapper.get(`[data-testid="admin-tab-${section}"]`).trigger('click')
  // Reports load as their own chunk: wait for it, then for its first call.
  await vi.waitFor(() => wrapper.get(`[data-testid="${section}"]`))
  await settle()
  return { kiosk, wrapper }
}

describe('admin: reports', () => {
  it('shows this month by default: totals, both charts and a person at a glance', async () => {
    const { kiosk, wrapper } = await openSection('reports', {})

    expect(kiosk.callsTo('getAttendanceReport')).toEqual([{ from: '2026-03-01', to: '2026-03-31' }])
    const rows = wrapper.findAll('[data-testid="report-row"]')
    expect(rows.map((r) => r.attributes('data-employee-id'))).toEqual(['E1001', 'E2002'])
    expect(rows[0]!.text()).toContain('1 (20 min)')
    expect(rows[0]!.get('[data-testid="report-rate"]').text()).toBe('100%')
    const points = (chart: string) =>
      JSON.parse(wrapper.get(`[data-testid="${chart}"] canvas`).attributes('data-points')!)
    expect(points('chart-rate').slice(8, 11)).toEqual([50, 100, null])
    expect(points('chart-late').slice(8, 11)).toEqual([0, 1, 0])
    expect(points('chart-rate')).toHaveLength(31)

    const look = (date: string) =>
      wrapper.get(`[data-testid="month-day"][data-date="${date}"]`).attributes('data-look')
    expect(wrapper.findAll('[data-testid="month-day"]')).toHaveLength(31)
    expect(look('2026-03-09')).toBe('present')
    expect(look('2026-03-10')).toBe('late')

    await wrapper.get('[data-testid="report-person"]').setValue('E2002')
    expect(look('2026-03-09')).toBe('absent')
  })

  it('steps to the month before', async () => {
    const { kiosk, wrapper } = await openSection('reports', {})

    await wrapper.get('[data-testid="report-month-earlier"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('getAttendanceReport')[1]).toEqual({
      from: '2026-02-01',
      to: '2026-02-28',
    })
  })

  it('downloads the report as XLSX and CSV, the bytes main made', async () => {
    const xlsx = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00])
    const { kiosk, wrapper } = await openSection('reports', {
      exportAttendanceReport: ({ format, from, to }) => ({
        fileName: `attendance-${from}-${to}.${format}`,
        mimeType: format === 'csv' ? 'text/csv' : 'application/vnd.ms-excel',
        base64:
          format === 'csv' ? btoa('employee_id\r\nE1001\r\n') : btoa(String.fromCharCode(...xlsx)),
      }),
    })

    await wrapper.get('[data-testid="report-download-xlsx"]').trigger('click')
    await settle()
    await wrapper.get('[data-testid="report-download-csv"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('exportAttendanceReport')).toEqual([
      { from: '2026-03-01', to: '2026-03-31', format: 'xlsx', summary: false },
      { from: '2026-03-01', to: '2026-03-31', format: 'csv', summary: false },
    ])
    expect(saved.map((file) => file.name)).toEqual([
      'attendance-2026-03-01-2026-03-31.xlsx',
      'attendance-2026-03-01-2026-03-31.csv',
    ])
    expect(new Uint8Array(await bytesOf(saved[0]!.blob))).toEqual(xlsx)
    expect(await textOf(saved[1]!.blob)).toBe('employee_id\r\nE1001\r\n')
  })
})

describe('admin: audit', () => {
  const entry = (seq: number): AuditEntryView => ({
    seq,
    at: '2026-03-10T01:00:00Z',
    actor: 'admin',
    action: 'punch.correct',
    subject: 'E1001',
    detail: '{"reason":"Forgot to punch"}',
  })
  const page = (before: number | null, size: number) => {
    const top = before ?? 121
    return Array.from({ length: size }, (_, i) => entry(top - 1 - i))
  }

  const shown = (wrapper: VueWrapper) =>
    wrapper.findAll('[data-testid="audit-entry"]').map((row) => Number(row.attributes('data-seq')))

  it('lists the newest first and loads older pages before the last one shown', async () => {
    const { kiosk, wrapper } = await openSection('audit', {
      listAudit: ({ before }) => page(before, before === null ? 50 : 20),
    })

    expect(kiosk.callsTo('listAudit')).toEqual([
      { person: null, kind: null, from: null, to: null, before: null, limit: 50 },
    ])
    expect(shown(wrapper).slice(0, 2)).toEqual([120, 119])
    await wrapper.get('[data-testid="audit-more"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('listAudit')[1]).toMatchObject({ before: 71 })
    expect(shown(wrapper)).toHaveLength(70)
    expect(shown(wrapper).at(-1)).toBe(51)
    expect(wrapper.find('[data-testid="audit-more"]').exists()).toBe(false)
  })

  it('filters by person, kind and dates, and exports the same filter as CSV', async () => {
    const { kiosk, wrapper } = await openSection('audit', {
      listAudit: () => [],
      exportAudit: () => ({ fileName: 'audit.csv', csv: 'seq,at\r\n' }),
    })

    await wrapper.get('[data-testid="audit-person"]').setValue(' E1001 ')
    await wrapper.get('[data-testid="audit-kind"]').setValue('checkout.')
    await wrapper.get('[data-testid="audit-from"]').setValue('2026-03-09')
    await wrapper.get('[data-testid="audit-to"]').setValue('2026-03-01')
    await wrapper.get('[data-testid="audit-search"]').trigger('click')
    await settle()
    await wrapper.get('[data-testid="audit-export"]').trigger('click')
    await settle()

    const filter = { person: 'E1001', kind: 'checkout.', from: '2026-03-01', to: '2026-03-09' }
    expect(kiosk.callsTo('listAudit')[1]).toEqual({ ...filter, before: null, limit: 50 })
    expect(kiosk.callsTo('exportAudit')).toEqual([filter])
    expect(wrapper.get('[data-testid="audit-empty"]').text()).toBe(
      'Nothing recorded for this filter.',
    )
    expect(saved.map((file) => file.name)).toEqual(['audit.csv'])
    expect(await textOf(saved[0]!.blob)).toBe('seq,at\r\n')
  })
})
