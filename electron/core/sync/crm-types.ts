/** Wire types of the central CRM contract (crm-api.yaml beside this file). */
import { list, parseOrThrow, reply, SchemaError, whole, z } from '../../shared/schema'

/** One check-in or check-out as the CRM receives it; `id` is the punch's UUID and idempotency key. */
export interface CrmPunch {
  id: string
  employeeId: string
  type: 'in' | 'out'
  /** RFC 3339 with an explicit offset: the kiosk's wall clock. */
  occurredAt: string
  /** IANA zone of the kiosk, e.g. Asia/Shanghai. */
  timeZone: string
  /** manual: entered by an admin; auto: an automatic check-out by rule. */
  method: 'face' | 'badge' | 'pin' | 'manual' | 'auto'
  siteId?: string
  /** For face punches; lower is closer. */
  matchDistance?: number
  liveness?: 'passed' | 'not_checked'
  clock?: CrmPunchClock
  correction?: CrmCorrection
}

/** What the kiosk knew about its own clock when the punch happened. */
export interface CrmPunchClock {
  monotonicMs?: number
  bootId?: string
  /** Server time minus kiosk time at the last sync, ms; null when never measured. */
  serverOffsetMs?: number | null
  /** False when the offset was unknown or large. */
  trusted?: boolean
}

/** Present on punches an admin entered after the fact. */
export interface CrmCorrection {
  /** Absent means added. */
  kind?: 'added' | 'amended' | 'voided'
  /** For amended and voided: the id of the punch this one replaces or cancels. */
  supersedes?: string
  /** 1 to 500 characters. */
  reason: string
  enteredBy: string
  enteredAt: string
}

/** Roles an employee may hold; absent means staff. */
export const CRM_ROLES = ['staff', 'supervisor', 'admin'] as const
export type CrmRole = (typeof CRM_ROLES)[number]

/** The body of POST /v1/punches: 1 to 500 punches. */
export interface CrmUploadRequest {
  deviceId: string
  punches: CrmPunch[]
}

/** Recorded consent for biometric templates. */
export interface CrmConsent {
  signedAt: string
  method: 'on_screen_signature' | 'paper' | 'electronic'
  retentionDays?: number
}

/** The body of PUT /v1/employees/{id}/face-templates: 1 to 20 templates. */
export interface CrmFaceTemplatesBody {
  templates: CrmFaceTemplate[]
  consent: CrmConsent
}

/** The body of POST /v1/devices/{id}/heartbeat, for IT dashboards. */
export interface HeartbeatBody {
  version: string
  siteId?: string
  queueDepth: number
  deadLetters?: number
  oldestPendingAt?: string | null
  lastSyncAt?: string | null
  clockOffsetMs?: number | null
  camera?: 'ok' | 'missing' | 'error'
}

// Strict readers: a CRM reply is untrusted input. Each returns a fresh object holding only the
// fields the contract defines (own properties only), or throws a SchemaError naming the first
// thing that is wrong, never the value.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const VECTOR_BYTES = 128 * 4

const str = z.string({ error: 'a string' })
const matching = (pattern: RegExp, error: string) =>
  z.string({ error }).check(z.regex(pattern, { error }))
const dateTime = z.string({ error: 'an RFC 3339 date-time' }).check(
  z.refine((v) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)), {
    error: 'an RFC 3339 date-time',
  }),
)
const hhmm = matching(/^\d{2}:\d{2}$/, 'HH:MM')
const weekday = whole(1, 7)
const array = <T extends z.ZodMiniType>(item: T) => z.array(item, { error: 'an array' })
const optional = z.optional

const healthSchema = reply({ status: z.literal('ok', { error: '"ok"' }), time: dateTime })

const punchResultSchema = reply({
  id: matching(UUID, 'a UUID'),
  status: z.enum(['created', 'duplicate', 'rejected'], { error: 'created, duplicate or rejected' }),
  /** For rejected: unknown_employee, inactive_employee, invalid_time, or a reason the CRM adds. */
  reason: optional(str),
})

/** Working hours used for late / early-leave flags; days are ISO weekdays 1 (Mon) to 7 (Sun). */
const scheduleSchema = reply({
  start: optional(hhmm),
  end: optional(hhmm),
  days: optional(array(weekday)),
})

/** One face descriptor: base64 of 128 little-endian float32 values (512 bytes). */
const faceTemplateSchema = reply({
  id: str,
  model: str,
  // 128 float32 descriptors are all matching understands; any other length is unusable.
  vector: str.check(
    z.refine((v) => BASE64.test(v) && Buffer.from(v, 'base64').length === VECTOR_BYTES, {
      error: `base64 of ${VECTOR_BYTES} bytes`,
    }),
  ),
})

/** An employee the kiosk may recognise; inactive ones are removed from the kiosk, templates too. */
const employeeSchema = reply({
  id: z
    .string({ error: 'a non-empty string' })
    .check(z.minLength(1, { error: 'a non-empty string' })),
  name: str,
  active: z.boolean({ error: 'a boolean' }),
  // Read as any text: one role from a newer CRM must not stop the whole roster. Roster sync
  // stores anything outside CRM_ROLES as staff, which grants nothing.
  role: optional(z.string({ error: 'a string' }).check(z.maxLength(64, { error: 'a role' }))),
  badges: optional(array(str)),
  siteIds: optional(array(str)),
  schedule: optional(scheduleSchema),
  faceTemplates: optional(array(faceTemplateSchema)),
})

/** One page of GET /v1/roster; pass `cursor` back for the next page or for later changes. */
const rosterPageSchema = reply({
  employees: array(employeeSchema),
  cursor: str,
  hasMore: z.boolean({ error: 'a boolean' }),
})

const punchResultsSchema = reply({ results: array(punchResultSchema) })

/** Most receipts the contract allows in one page. */
export const MAX_RECEIPTS_PER_PAGE = 1000

/** One punch id the CRM holds from this device, and when it arrived there. */
const receiptSchema = reply({ id: matching(UUID, 'a UUID'), receivedAt: dateTime })

/** One page of GET /v1/devices/{id}/receipts; `cursor` asks for the next one. */
const receiptsPageSchema = reply({
  receipts: list(receiptSchema, MAX_RECEIPTS_PER_PAGE),
  cursor: optional(str),
  hasMore: z.boolean({ error: 'a boolean' }),
})

/** The answer of GET /v1/health; `time` is the server's clock. */
export type CrmHealth = z.output<typeof healthSchema>
/** The CRM's answer for one punch: done (created, duplicate) or dead-lettered (rejected). */
export type CrmPunchResult = z.output<typeof punchResultSchema>
export type CrmSchedule = z.output<typeof scheduleSchema>
export type CrmFaceTemplate = z.output<typeof faceTemplateSchema>
export type CrmEmployee = z.output<typeof employeeSchema>
export type CrmRosterPage = z.output<typeof rosterPageSchema>
export type CrmReceipt = z.output<typeof receiptSchema>
export type CrmReceiptsPage = z.output<typeof receiptsPageSchema>

/** The health answer, or a SchemaError. */
export function readHealth(body: unknown): CrmHealth {
  return parseOrThrow(healthSchema, body, 'body')
}

/** One result per punch sent, in the order sent, each for that punch's id; or a SchemaError. */
export function readPunchResults(body: unknown, sent: readonly CrmPunch[]): CrmPunchResult[] {
  const { results } = parseOrThrow(punchResultsSchema, body, 'body')
  if (results.length !== sent.length) {
    throw new SchemaError('body.results', `${sent.length} results, one per punch sent`)
  }
  results.forEach((result, i) => {
    if (result.id !== sent[i]!.id)
      throw new SchemaError(`body.results[${i}].id`, `the id of punch ${i} sent`)
  })
  return results
}

/** A roster page, or a SchemaError. */
export function readRosterPage(body: unknown): CrmRosterPage {
  return parseOrThrow(rosterPageSchema, body, 'body')
}

/** A receipts page, or a SchemaError; a page that says there is more names where it goes on. */
export function readReceiptsPage(body: unknown): CrmReceiptsPage {
  const page = parseOrThrow(receiptsPageSchema, body, 'body')
  if (page.hasMore && !page.cursor) {
    throw new SchemaError('body.cursor', 'a non-empty string when hasMore is true')
  }
  return page
}
