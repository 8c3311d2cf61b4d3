/**
 * The one API between the kiosk screen and main. Electron IPC (preload + main) and the browser
 * host's HTTP transport are both built from this object; adding an operation starts here.
 */
import { s, type Infer, type Schema } from './schema'
import type { Envelope } from './errors'
import type {
  AdminSession,
  BadgeOutcome,
  DeadLetterView,
  EnrolmentProgress,
  FaceOutcome,
  FacePerson,
  EmployeeSummary,
  KioskInfo,
  PunchOutcome,
  SyncStatus,
} from './types'

declare const resultType: unique symbol
interface Operation<P, R> {
  /** Channel name, `domain:verb`. */
  readonly channel: string
  readonly payload: Schema<P>
  readonly [resultType]?: R
}

function op<P, R>(channel: string, payload: Schema<P>): Operation<P, R> {
  return { channel, payload }
}

/** Badge numbers as a reader types them; longer input is garbage and is refused by core. */
const badgeScan = s.string({ min: 1, max: 256 })
const employeeId = s.string({ min: 1, max: 128 })
const punchId = s.string({ min: 36, max: 36 })
/** A face-api descriptor: 128 numbers, each well inside ±1 in practice. */
const descriptor = s.array(s.number(-10, 10), 128)
const sessionId = s.string({ min: 1, max: 64 })

export const operations = {
  /** Who and where this kiosk is, and the timings the screen needs. */
  getKioskInfo: op<void, KioskInfo>('config:info', s.none()),
  /**
   * Records a punch for the person whose badge was scanned (raw reader text, without Enter); in
   * face-and-badge mode an enrolled person is asked to look at the camera first.
   */
  recordBadgePunch: op<{ badge: string }, BadgeOutcome>(
    'attendance:badge',
    s.object({ badge: badgeScan }),
  ),
  /** Active employees whose name or id contains the query (case-insensitive), at most 20. */
  findEmployees: op<{ query: string }, EmployeeSummary[]>(
    'roster:find',
    s.object({ query: s.string({ min: 1, max: 64 }) }),
  ),
  /** Records a punch after checking the person's PIN; wrong PINs count towards a lockout. */
  recordPinPunch: op<{ employeeId: string; pin: string }, PunchOutcome>(
    'attendance:pin',
    s.object({ employeeId, pin: s.string({ min: 1, max: 32 }) }),
  ),
  /** Flips in/out of a punch made moments ago ("check out instead"); corrects, never adds. */
  switchPunchDirection: op<{ punchId: string }, PunchOutcome>(
    'attendance:switch',
    s.object({ punchId }),
  ),
  /** Upload state for the status area. */
  getSyncStatus: op<void, SyncStatus>('sync:status', s.none()),
  /** The screen saw the network come back or the machine wake: a hint, never proof. */
  reportNetworkHint: op<{ kind: 'online' | 'resume' }, null>(
    'sync:hint',
    s.object({ kind: s.oneOf(['online', 'resume'] as const) }),
  ),
  /**
   * One good frame's descriptor. Main matches it (templates never leave main), requires
   * agreement across frames, and records a punch once identified and (if required) live.
   */
  identifyFace: op<{ descriptor: number[]; liveness: 'passed' | 'pending' }, FaceOutcome>(
    'faces:identify',
    s.object({ descriptor, liveness: s.oneOf(['passed', 'pending'] as const) }),
  ),
  /** Camera and face-engine health for the heartbeat and the admin screen. */
  reportCameraStatus: op<{ camera: 'ok' | 'missing' | 'error'; backend: string }, null>(
    'faces:camera-status',
    s.object({
      camera: s.oneOf(['ok', 'missing', 'error'] as const),
      backend: s.string({ min: 1, max: 32 }),
    }),
  ),
  /** People to enrol, with their face-data status (admin mode). */
  listFacePeople: op<{ query: string }, FacePerson[]>(
    'faces:people',
    s.object({ query: s.string({ max: 64 }) }),
  ),
  /** Starts enrolling a person; consent is recorded now, with its date (admin mode). */
  startEnrolment: op<
    { employeeId: string; consent: 'on_screen_signature' | 'paper' | 'electronic' },
    EnrolmentProgress
  >(
    'faces:enrol-start',
    s.object({
      employeeId,
      consent: s.oneOf(['on_screen_signature', 'paper', 'electronic'] as const),
    }),
  ),
  /** One good sample; refused if it matches someone else or not the earlier samples. */
  addEnrolmentSample: op<{ sessionId: string; descriptor: number[] }, EnrolmentProgress>(
    'faces:enrol-sample',
    s.object({ sessionId, descriptor }),
  ),
  /** Stores the samples as the person's templates, replacing earlier ones (admin mode). */
  finishEnrolment: op<{ sessionId: string }, FacePerson>(
    'faces:enrol-finish',
    s.object({ sessionId }),
  ),
  /** Erases a person's face data and consent (admin mode; audited). */
  deleteFaceData: op<{ employeeId: string }, null>('faces:delete', s.object({ employeeId })),
  /** Opens admin mode with the admin PIN; wrong PINs count towards a lockout. */
  unlockAdmin: op<{ pin: string }, AdminSession>(
    'admin:unlock',
    s.object({ pin: s.string({ min: 1, max: 32 }) }),
  ),
  /** Leaves admin mode. */
  lockAdmin: op<void, null>('admin:lock', s.none()),
  /** Punches the CRM refused, oldest first (admin mode). */
  listDeadLetters: op<void, DeadLetterView[]>('sync:dead-letters', s.none()),
  /** Puts a refused punch back in the upload queue (admin mode; audited). */
  retryDeadLetter: op<{ punchId: string }, null>('sync:dead-letter-retry', s.object({ punchId })),
  /** Gives up uploading a refused punch; it stays in the local record (admin mode; audited). */
  discardDeadLetter: op<{ punchId: string; reason: string }, null>(
    'sync:dead-letter-discard',
    s.object({ punchId, reason: s.string({ min: 3, max: 500 }) }),
  ),
} as const

/** Pushes from main to the screen. */
export const events = {
  syncStatusChanged: { channel: 'sync:status-changed' } as {
    channel: string
    [resultType]?: SyncStatus
  },
} as const

export type Operations = typeof operations
export type OperationName = keyof Operations
export type PayloadOf<K extends OperationName> = Infer<Operations[K]['payload']>
export type ResultOf<K extends OperationName> =
  Operations[K] extends Operation<unknown, infer R> ? R : never
export type EventName = keyof typeof events
export type EventPayloadOf<E extends EventName> = (typeof events)[E] extends {
  [resultType]?: infer P
}
  ? P
  : never

/** The object a transport exposes to the renderer: one function per operation, plus `on`. */
export type ClockfaceApi = {
  [K in OperationName]: (payload: PayloadOf<K>) => Promise<Envelope<ResultOf<K>>>
} & {
  /** Subscribes to a push; returns the unsubscribe function. Listeners get the payload only. */
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void
}

/** Builds the API from two transport primitives; both transports use this, nothing else. */
export function buildApi(
  invoke: (channel: string, payload: unknown) => Promise<Envelope<unknown>>,
  subscribe: (channel: string, listener: (payload: unknown) => void) => () => void,
): ClockfaceApi {
  const api: Record<string, unknown> = {
    on: (event: EventName, listener: (payload: unknown) => void) =>
      subscribe(events[event].channel, listener),
  }
  for (const [name, operation] of Object.entries(operations)) {
    api[name] = (payload: unknown) => invoke(operation.channel, payload ?? null)
  }
  return api as ClockfaceApi
}

const byChannel = new Map<string, OperationName>(
  Object.entries(operations).map(([name, operation]) => [operation.channel, name as OperationName]),
)

/** The operation a channel names, or undefined for anything not in the contract. */
export function operationForChannel(channel: string): OperationName | undefined {
  return byChannel.get(channel)
}
