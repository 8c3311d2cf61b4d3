/**
 * The one API between the kiosk screen and main. Electron IPC (preload + main) and the browser
 * host's HTTP transport are both built from this object; adding an operation starts here.
 */
import { finite, none, oneOf, record, text, tuple, whole, z } from './schema'
import type {
  AttendanceReportView,
  AuditEntryView,
  CorrectionRequestView,
  DayBoardView,
  LedgerPunchView,
  MyWeekView,
} from './attendance-types'
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
  ReconciliationResult,
  SyncStatus,
} from './types'

declare const resultType: unique symbol
interface Operation<S extends z.ZodMiniType, R> {
  /** Channel name, `domain:verb`. */
  readonly channel: string
  /** The payload's shape: its type and the check main runs on every call. */
  readonly payload: S
  readonly [resultType]?: R
}

/** An operation on `channel` taking `payload`; `.answers<R>()` names what it resolves to. */
function op<S extends z.ZodMiniType>(channel: string, payload: S) {
  return { answers: <R>(): Operation<S, R> => ({ channel, payload }) }
}

/** Badge numbers as a reader types them; longer input is garbage and is refused by core. */
const badgeScan = text(1, 256)
const employeeId = text(1, 128)
const punchId = text(36, 36)
/** A face-api descriptor: exactly 128 finite numbers, each well inside ±1 in practice. */
const descriptor = tuple(finite(-10, 10), 128)
const sessionId = text(1, 64)
const pin = text(1, 32)
/** An instant with its offset, e.g. 2026-03-09T18:05:00+01:00. */
const instant = text(20, 35, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/)
const clockTime = text(5, 5, /^\d{2}:\d{2}$/)
const reason = text(3, 500)
/** A site day, YYYY-MM-DD (core checks that it is a real date). */
const localDate = text(10, 10, /^\d{4}-\d{2}-\d{2}$/)
const punchType = oneOf(['in', 'out'])

export const operations = {
  /** Who and where this kiosk is, and the timings the screen needs. */
  getKioskInfo: op('config:info', none()).answers<KioskInfo>(),
  /**
   * Records a punch for the person whose badge was scanned (raw reader text, without Enter); in
   * face-and-badge mode an enrolled person is asked to look at the camera first.
   */
  recordBadgePunch: op('attendance:badge', record({ badge: badgeScan })).answers<BadgeOutcome>(),
  /** Active employees whose name or id contains the query (case-insensitive), at most 20. */
  findEmployees: op('roster:find', record({ query: text(1, 64) })).answers<EmployeeSummary[]>(),
  /** Records a punch after checking the person's PIN; wrong PINs count towards a lockout. */
  recordPinPunch: op('attendance:pin', record({ employeeId, pin })).answers<PunchOutcome>(),
  /** Flips in/out of a punch made moments ago ("check out instead"); corrects, never adds. */
  switchPunchDirection: op('attendance:switch', record({ punchId })).answers<PunchOutcome>(),
  /** Upload state for the status area. */
  getSyncStatus: op('sync:status', none()).answers<SyncStatus>(),
  /** The screen saw the network come back or the machine wake: a hint, never proof. */
  reportNetworkHint: op('sync:hint', record({ kind: oneOf(['online', 'resume']) })).answers<null>(),
  /**
   * One good frame's descriptor. Main matches it (templates never leave main), requires
   * agreement across frames, and records a punch once identified and (if required) live.
   */
  identifyFace: op(
    'faces:identify',
    record({ descriptor, liveness: oneOf(['passed', 'pending']) }),
  ).answers<FaceOutcome>(),
  /** Camera and face-engine health for the heartbeat and the admin screen. */
  reportCameraStatus: op(
    'faces:camera-status',
    record({ camera: oneOf(['ok', 'missing', 'error']), backend: text(1, 32) }),
  ).answers<null>(),
  /** People to enrol, with their face-data status (admin mode). */
  listFacePeople: op('faces:people', record({ query: text(0, 64) })).answers<FacePerson[]>(),
  /** Starts enrolling a person; consent is recorded now, with its date (admin mode). */
  startEnrolment: op(
    'faces:enrol-start',
    record({ employeeId, consent: oneOf(['on_screen_signature', 'paper', 'electronic']) }),
  ).answers<EnrolmentProgress>(),
  /** One good sample; refused if it matches someone else or not the earlier samples. */
  addEnrolmentSample: op(
    'faces:enrol-sample',
    record({ sessionId, descriptor }),
  ).answers<EnrolmentProgress>(),
  /** Stores the samples as the person's templates, replacing earlier ones (admin mode). */
  finishEnrolment: op('faces:enrol-finish', record({ sessionId })).answers<FacePerson>(),
  /** Erases a person's face data and consent (admin mode; audited). */
  deleteFaceData: op('faces:delete', record({ employeeId })).answers<null>(),
  /**
   * Opens admin mode: a supervisor's or admin's own badge (raw reader text) and PIN, or the
   * shared admin PIN alone (break-glass); wrong PINs count towards a lockout.
   */
  unlockAdmin: op(
    'admin:unlock',
    record({ pin, badge: z.optional(badgeScan) }),
  ).answers<AdminSession>(),
  /** Leaves admin mode. */
  lockAdmin: op('admin:lock', none()).answers<null>(),
  /** Punches the CRM refused, oldest first (admin mode). */
  listDeadLetters: op('sync:dead-letters', none()).answers<DeadLetterView[]>(),
  /** Puts a refused punch back in the upload queue (admin mode; audited). */
  retryDeadLetter: op('sync:dead-letter-retry', record({ punchId })).answers<null>(),
  /** Gives up uploading a refused punch; it stays in the local record (admin mode; audited). */
  discardDeadLetter: op(
    'sync:dead-letter-discard',
    record({ punchId, reason: text(3, 500) }),
  ).answers<null>(),
  /** The day board for a date (today when null): in now, late, not yet in, open, pending (supervisor). */
  getDayBoard: op(
    'attendance:board',
    record({ date: z.nullable(localDate) }),
  ).answers<DayBoardView>(),
  /** A person's punches of a period, corrections and what they superseded included (supervisor). */
  listPersonPunches: op(
    'attendance:person-punches',
    record({ employeeId, from: localDate, to: localDate }),
  ).answers<LedgerPunchView[]>(),
  /** Adds a missing punch, amends one or voids one, always with a reason (admin; audited). */
  correctPunch: op(
    'attendance:correct',
    z.union([
      record({ kind: z.literal('added'), employeeId, type: punchType, at: instant, reason }),
      record({ kind: z.literal('amended'), punchId, type: punchType, at: instant, reason }),
      record({ kind: z.literal('voided'), punchId, reason }),
    ]),
  ).answers<LedgerPunchView>(),
  /** The person just punched answers "when did you leave?" for their open day: a pending request. */
  answerForgottenCheckout: op(
    'attendance:forgotten-answer',
    record({
      punchId,
      answer: oneOf(['schedule_end', 'time', 'unknown']),
      time: z.nullable(clockTime),
    }),
  ).answers<CorrectionRequestView>(),
  /** Check-out requests from staff, pending first (supervisor). */
  listCorrectionRequests: op(
    'attendance:requests',
    record({ state: oneOf(['pending', 'all']) }),
  ).answers<CorrectionRequestView[]>(),
  /** Confirms a request (becomes a correction; a time is needed for "I don't know") or rejects it. */
  decideCorrectionRequest: op(
    'attendance:request-decide',
    record({
      requestId: text(36, 36),
      decision: oneOf(['confirm', 'reject']),
      time: z.nullable(clockTime),
      reason: z.nullable(reason),
    }),
  ).answers<CorrectionRequestView>(),
  /** The attendance report of a period, one row per person per working day plus totals (supervisor). */
  getAttendanceReport: op(
    'attendance:report',
    record({ from: localDate, to: localDate }),
  ).answers<AttendanceReportView>(),
  /** The same report as a file to download: CSV or XLSX, base64 (supervisor). */
  exportAttendanceReport: op(
    'attendance:report-file',
    record({
      from: localDate,
      to: localDate,
      format: oneOf(['csv', 'xlsx']),
      summary: z.boolean(),
    }),
  ).answers<{ fileName: string; mimeType: string; base64: string }>(),
  /** "My week" on the greeting: the week of the person who made this punch, moments ago. */
  getMyWeek: op('attendance:my-week', record({ punchId })).answers<MyWeekView>(),
  /** The audit trail, newest first, filtered (supervisor). */
  listAudit: op(
    'audit:list',
    record({
      person: z.nullable(text(1, 128)),
      kind: z.nullable(text(1, 64)),
      from: z.nullable(localDate),
      to: z.nullable(localDate),
      before: z.nullable(whole(1, Number.MAX_SAFE_INTEGER)),
      limit: whole(1, 500),
    }),
  ).answers<AuditEntryView[]>(),
  /** The filtered audit trail as CSV text (supervisor). */
  exportAudit: op(
    'audit:export',
    record({
      person: z.nullable(text(1, 128)),
      kind: z.nullable(text(1, 64)),
      from: z.nullable(localDate),
      to: z.nullable(localDate),
    }),
  ).answers<{ fileName: string; csv: string }>(),
  /**
   * Compares this kiosk's punches of site days `from` to `to` (both included) with the CRM's
   * receipts: what the CRM lacks is queued again, ids it holds that this kiosk never made are
   * reported (admin mode; audited).
   */
  reconcile: op(
    'sync:reconcile',
    record({ from: localDate, to: localDate }),
  ).answers<ReconciliationResult>(),
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
/** What a call carries: the output of its payload schema (no payload schema transforms). */
export type PayloadOf<K extends OperationName> = z.output<Operations[K]['payload']>
export type ResultOf<K extends OperationName> =
  Operations[K] extends Operation<z.ZodMiniType, infer R> ? R : never
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
