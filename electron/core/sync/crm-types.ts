/** Wire types of the central CRM contract (crm-api.yaml beside this file). */

/** One check-in or check-out as the CRM receives it; `id` is the punch's UUID and idempotency key. */
export interface CrmPunch {
  id: string
  employeeId: string
  type: 'in' | 'out'
  /** RFC 3339 with an explicit offset: the kiosk's wall clock. */
  occurredAt: string
  /** IANA zone of the kiosk, e.g. Asia/Shanghai. */
  timeZone: string
  method: 'face' | 'badge' | 'pin' | 'manual'
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
  /** 1 to 500 characters. */
  reason: string
  enteredBy: string
  enteredAt: string
}

/** The body of POST /v1/punches: 1 to 500 punches. */
export interface CrmUploadRequest {
  deviceId: string
  punches: CrmPunch[]
}

/** The CRM's answer for one punch: done (created, duplicate) or dead-lettered (rejected). */
export interface CrmPunchResult {
  id: string
  status: 'created' | 'duplicate' | 'rejected'
  /** For rejected: unknown_employee, inactive_employee, invalid_time, or a reason the CRM adds. */
  reason?: string
}

/** Working hours used for late / early-leave flags; days are ISO weekdays 1 (Mon) to 7 (Sun). */
export interface CrmSchedule {
  start?: string
  end?: string
  days?: number[]
}

/** One face descriptor: base64 of 128 little-endian float32 values (512 bytes). */
export interface CrmFaceTemplate {
  id: string
  model: string
  vector: string
}

/** An employee the kiosk may recognise; inactive ones are removed from the kiosk, templates too. */
export interface CrmEmployee {
  id: string
  name: string
  active: boolean
  badges?: string[]
  siteIds?: string[]
  schedule?: CrmSchedule
  faceTemplates?: CrmFaceTemplate[]
}

/** One page of GET /v1/roster; pass `cursor` back for the next page or for later changes. */
export interface CrmRosterPage {
  employees: CrmEmployee[]
  cursor: string
  hasMore: boolean
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

/** The answer of GET /v1/health; `time` is the server's clock. */
export interface CrmHealth {
  status: 'ok'
  time: string
}

// Strict readers: a CRM reply is untrusted input. Each returns a fresh object holding only the
// fields the contract defines, or throws a TypeError naming the first thing that is wrong.

type JsonObject = Record<string, unknown>
type Read<T> = (value: unknown, path: string) => T

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const HH_MM = /^\d{2}:\d{2}$/
const VECTOR_BYTES = 128 * 4

/** The health answer, or a TypeError. */
export function readHealth(body: unknown): CrmHealth {
  const o = object(body, 'body')
  if (o.status !== 'ok') fail('body.status', '"ok"')
  return { status: 'ok', time: dateTime(o.time, 'body.time') }
}

/** One result per punch sent, in the order sent, each for that punch's id; or a TypeError. */
export function readPunchResults(body: unknown, sent: readonly CrmPunch[]): CrmPunchResult[] {
  const results = list(object(body, 'body').results, 'body.results', punchResult)
  if (results.length !== sent.length) {
    throw new TypeError(`body.results has ${results.length} results for ${sent.length} punches`)
  }
  results.forEach((result, i) => {
    if (result.id !== sent[i]!.id) fail(`body.results[${i}].id`, `the id of punch ${i} sent`)
  })
  return results
}

/** A roster page, or a TypeError. */
export function readRosterPage(body: unknown): CrmRosterPage {
  const o = object(body, 'body')
  if (typeof o.hasMore !== 'boolean') fail('body.hasMore', 'a boolean')
  return {
    employees: list(o.employees, 'body.employees', employee),
    cursor: text(o.cursor, 'body.cursor'),
    hasMore: o.hasMore,
  }
}

const punchResult: Read<CrmPunchResult> = (value, path) => {
  const o = object(value, path)
  const id = text(o.id, `${path}.id`)
  if (!UUID.test(id)) fail(`${path}.id`, 'a UUID')
  const status = o.status
  if (status !== 'created' && status !== 'duplicate' && status !== 'rejected') {
    fail(`${path}.status`, 'created, duplicate or rejected')
  }
  const reason = optional(o.reason, `${path}.reason`, text)
  return reason === undefined ? { id, status } : { id, status, reason }
}

const employee: Read<CrmEmployee> = (value, path) => {
  const o = object(value, path)
  const id = text(o.id, `${path}.id`)
  if (id === '') fail(`${path}.id`, 'a non-empty string')
  if (typeof o.active !== 'boolean') fail(`${path}.active`, 'a boolean')
  const result: CrmEmployee = { id, name: text(o.name, `${path}.name`), active: o.active }
  const badges = optional(o.badges, `${path}.badges`, (v, p) => list(v, p, text))
  const siteIds = optional(o.siteIds, `${path}.siteIds`, (v, p) => list(v, p, text))
  const schedule = optional(o.schedule, `${path}.schedule`, readSchedule)
  const faceTemplates = optional(o.faceTemplates, `${path}.faceTemplates`, (v, p) =>
    list(v, p, faceTemplate),
  )
  if (badges) result.badges = badges
  if (siteIds) result.siteIds = siteIds
  if (schedule) result.schedule = schedule
  if (faceTemplates) result.faceTemplates = faceTemplates
  return result
}

const readSchedule: Read<CrmSchedule> = (value, path) => {
  const o = object(value, path)
  const result: CrmSchedule = {}
  for (const key of ['start', 'end'] as const) {
    const hhmm = optional(o[key], `${path}.${key}`, text)
    if (hhmm !== undefined && !HH_MM.test(hhmm)) fail(`${path}.${key}`, 'HH:MM')
    if (hhmm !== undefined) result[key] = hhmm
  }
  const days = optional(o.days, `${path}.days`, (v, p) => list(v, p, weekday))
  if (days) result.days = days
  return result
}

const weekday: Read<number> = (value, path) => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 7) {
    fail(path, 'a weekday 1 to 7')
  }
  return value
}

const faceTemplate: Read<CrmFaceTemplate> = (value, path) => {
  const o = object(value, path)
  const vector = text(o.vector, `${path}.vector`)
  // 128 float32 descriptors are all matching understands; any other length is unusable.
  if (!BASE64.test(vector) || Buffer.from(vector, 'base64').length !== VECTOR_BYTES) {
    fail(`${path}.vector`, `base64 of ${VECTOR_BYTES} bytes`)
  }
  return { id: text(o.id, `${path}.id`), model: text(o.model, `${path}.model`), vector }
}

function object(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object')
  return value as JsonObject
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'a string')
  return value
}

function dateTime(value: unknown, path: string): string {
  const s = text(value, path)
  if (!DATE_TIME.test(s) || Number.isNaN(Date.parse(s))) fail(path, 'an RFC 3339 date-time')
  return s
}

function list<T>(value: unknown, path: string, read: Read<T>): T[] {
  if (!Array.isArray(value)) fail(path, 'an array')
  return value.map((item, i) => read(item, `${path}[${i}]`))
}

function optional<T>(value: unknown, path: string, read: Read<T>): T | undefined {
  return value === undefined ? undefined : read(value, path)
}

function fail(path: string, expected: string): never {
  throw new TypeError(`${path} is not ${expected}`)
}
