/**
 * A kiosk service in memory, reached through the real contract (`buildApi`) and the real
 * bridge: only the process boundary is faked. Handlers may throw ClockfaceError like core does.
 */
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, vi } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import {
  buildApi,
  events,
  operationForChannel,
  operations,
  type EventName,
  type EventPayloadOf,
  type OperationName,
  type PayloadOf,
  type ResultOf,
} from '../../electron/shared/contract'
import { ClockfaceError, ErrorCode, toErrorBody, type Envelope } from '../../electron/shared/errors'
import type {
  AdminSession,
  DeadLetterView,
  KioskInfo,
  PunchOutcome,
  PunchView,
} from '../../electron/shared/types'
import { connectBridge } from '../../renderer/src/bridge'

export type FakeHandlers = {
  [K in OperationName]: (payload: PayloadOf<K>) => ResultOf<K> | Promise<ResultOf<K>>
}

export interface Call {
  operation: OperationName
  payload: unknown
}

export const kioskInfo: KioskInfo = {
  product: 'Clockface',
  version: '0.1.0',
  site: { id: 'sh-hq', name: 'Shanghai HQ' },
  timeZone: 'Asia/Shanghai',
  language: 'en',
  greetingSeconds: 5,
  switchWindowSeconds: 10,
  badge: { minLength: 4, maxLength: 32, maxKeyIntervalMs: 50 },
  faces: {
    enabled: false,
    camera: null,
    mode: 'face' as const,
    liveness: 'off',
    minFaceSizePx: 80,
    enrolmentSamples: 5,
  },
  now: '2026-03-09T00:57:00Z',
}

/** A punch as core would present it; override what the test is about. */
export function punchView(overrides: Partial<PunchView> = {}): PunchView {
  return {
    id: '6f1c2d3e-4b5a-4978-8d9e-0a1b2c3d4e5f',
    employeeId: 'E1001',
    employeeName: 'Anna Li',
    type: 'in',
    method: 'badge',
    occurredAt: '2026-03-09T08:57:00+08:00',
    localTime: '08:57',
    localDate: '2026-03-09',
    late: false,
    early: false,
    corrected: false,
    ...overrides,
  }
}

/** A punch the CRM refused, as main lists it for the admin; override what the test is about. */
export function deadLetter(overrides: Partial<DeadLetterView> = {}): DeadLetterView {
  return {
    punchId: '0b7e2f4a-1c3d-4e5f-8a9b-7c6d5e4f3a2b',
    employeeId: 'E1001',
    employeeName: 'Anna Li',
    type: 'in',
    occurredAt: '2026-03-08T08:57:00+08:00',
    reason: 'unknown_employee',
    rejectedAt: '2026-03-09T00:30:00Z',
    ...overrides,
  }
}

/** An open admin session as main answers it: break-glass by default, five idle minutes. */
export function adminSession(overrides: Partial<AdminSession> = {}): AdminSession {
  return {
    expiresAt: new Date(Date.now() + 5 * 60_000).toISOString(),
    endsAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    role: 'admin',
    employeeId: null,
    name: null,
    permissions: ['view', 'confirm', 'correct', 'faces', 'uploads', 'reconcile'],
    ...overrides,
  }
}

/** A supervisor's session: they see and confirm, nothing else. */
export function supervisorSession(overrides: Partial<AdminSession> = {}): AdminSession {
  return adminSession({
    role: 'supervisor',
    employeeId: 'E2001',
    name: '李娜',
    permissions: ['view', 'confirm'],
    ...overrides,
  })
}

export function recorded(punch: PunchView, switchableUntil: string | null = null): PunchOutcome {
  return { status: 'recorded', punch, switchableUntil }
}

export function refuse(code: ErrorCode, details?: Record<string, string | number>): never {
  throw new ClockfaceError(code, `refused: ${code}`, details)
}

const notSet = (name: string) => () => {
  throw new ClockfaceError(ErrorCode.Internal, `no fake handler for ${name}`)
}

/** Every operation refuses until a default below or the test gives it a handler. */
function unhandled(): FakeHandlers {
  const entries = Object.keys(operations).map((name) => [name, notSet(name)])
  return Object.fromEntries(entries) as FakeHandlers
}

/** Connects the bridge to an in-memory kiosk; returns its call log and a way to push events. */
export function fakeKiosk(overrides: Partial<FakeHandlers> = {}) {
  const handlers: FakeHandlers = {
    ...unhandled(),
    getKioskInfo: () => kioskInfo,
    getSyncStatus: () => ({
      mode: 'online',
      pending: 0,
      oldestPendingAt: null,
      lastSyncAt: null,
      offlineSince: null,
      roster: { state: 'fresh', lastSyncAt: '2026-03-09T00:00:00Z', failures: 0 },
      reconciliation: null,
    }),
    findEmployees: () => [],
    reportNetworkHint: () => null,
    lockAdmin: () => null,
    listDeadLetters: () => [],
    ...overrides,
  }
  const calls: Call[] = []
  const listeners = new Map<string, Set<(payload: unknown) => void>>()

  async function invoke(channel: string, payload: unknown): Promise<Envelope<unknown>> {
    const operation = operationForChannel(channel)
    if (!operation) return { ok: false, error: { code: 'UNKNOWN_OPERATION', message: channel } }
    // Across a real boundary only JSON survives.
    const copy: unknown = payload === null ? undefined : JSON.parse(JSON.stringify(payload))
    calls.push({ operation, payload: copy })
    try {
      const handler = handlers[operation] as (payload: unknown) => unknown
      return { ok: true, value: JSON.parse(JSON.stringify((await handler(copy)) ?? null)) }
    } catch (error) {
      return { ok: false, error: toErrorBody(error) }
    }
  }

  function subscribe(channel: string, listener: (payload: unknown) => void) {
    let set = listeners.get(channel)
    if (!set) listeners.set(channel, (set = new Set()))
    set.add(listener)
    return () => set.delete(listener)
  }

  connectBridge(buildApi(invoke, subscribe))

  return {
    handlers,
    calls,
    /** Calls made to one operation, payloads only. */
    callsTo(operation: OperationName): unknown[] {
      return calls.filter((call) => call.operation === operation).map((call) => call.payload)
    },
    push<E extends EventName>(event: E, payload: EventPayloadOf<E>) {
      for (const listener of listeners.get(events[event].channel) ?? []) listener(payload)
    },
  }
}

/** A fresh Pinia, active for stores created outside components too. */
export function freshPinia(): Pinia {
  const pinia = createPinia()
  setActivePinia(pinia)
  return pinia
}

/** Lets pending bridge calls and the renders they cause finish. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await flushPromises()
}

/** Fake timers that leave the microtask and setImmediate machinery of flushPromises alone. */
export function useFakeClock(): void {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  })
}

/** Every test of the file on the fake clock, set to `at` when given; real timers after each. */
export function fakeClockEachTest(at?: number): void {
  beforeEach(() => {
    useFakeClock()
    if (at !== undefined) vi.setSystemTime(at)
  })
  afterEach(() => {
    vi.useRealTimers()
  })
}

/** Types a string as a badge reader does: every key at the same instant, then Enter. */
export function scanBadge(badge: string, target: EventTarget = document.body): void {
  for (const key of [...badge, 'Enter']) {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))
  }
}
