/**
 * The config file's one declaration: every key's check, its default and (through `Config`) its
 * type. A key marked `secret` is never shown, neither in an error nor by `cli config`.
 */
import { finite, oneOf, record, whole, z } from '../../shared/schema'
import { crmSettings, crmRules } from '../connectors/settings'
import { parseClockTime, parseLocalDate } from '../attendance/zoned-time'
import { isSecret, or, secret, section, words } from './schema-kit'

const fraction = (min: number, max: number) => finite(min, max, `a number from ${min} to ${max}`)
const flag = z.boolean({ error: 'true or false' })

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return zone.length > 0
  } catch {
    return false
  }
}

const ZONE = 'an IANA time zone such as "Asia/Shanghai" or "Europe/Berlin"'
const timeZone = z.string({ error: ZONE }).check(z.refine(isTimeZone, { error: ZONE }))

const PIN_HASH = 'a hash made by `npm run cli -- pin hash` (never the PIN itself)'
const pinHash = z
  .string({ error: PIN_HASH })
  .check(z.regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, { error: PIN_HASH }))

const CLOCK = 'a time of day "HH:MM" (00:00 to 23:59)'
const clockTime = z
  .string({ error: CLOCK })
  .check(z.refine((t) => parseClockTime(t) !== undefined, { error: CLOCK }))
const DATE = 'a date "YYYY-MM-DD"'
const localDate = z
  .string({ error: DATE })
  .check(z.refine((d) => parseLocalDate(d) !== undefined, { error: DATE }))

/** The whole file: every key optional, unknown keys refused. */
export const configSchema = record({
  site: section({ id: or(words(1, 64), 'default'), name: or(words(1, 100), 'Clockface') }),
  /** IANA zone whose days and schedules count; defaults to the machine's zone. */
  timeZone: or(timeZone, () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'),
  language: or(oneOf(['zh-CN', 'en']), 'en'),
  attendance: section({
    /** A second scan within this many seconds records nothing. */
    duplicateWindowSeconds: or(whole(0, 3600), 120),
    /** For this many seconds after a punch, "check out instead" may flip it. */
    switchWindowSeconds: or(whole(0, 60), 10),
    lateGraceMinutes: or(whole(0, 240), 15),
    earlyGraceMinutes: or(whole(0, 240), 15),
    /** An in older than this with no out is a forgotten check-out, whatever the schedule. */
    maxShiftHours: or(whole(1, 48), 16),
    /**
     * Automatic check-out of an in left open: `off`; `at` a fixed local time of its working day
     * (the next occurrence after the in); `afterEnd` the schedule's end plus `afterEndMinutes`.
     */
    autoCheckout: section({
      mode: or(oneOf(['off', 'at', 'afterEnd']), 'off'),
      at: or(clockTime, '23:00'),
      afterEndMinutes: or(whole(0, 720), 120),
    }),
  }),
  /** Site holidays, YYYY-MM-DD: neither absences nor late days. */
  holidays: or(z.array(localDate, { error: 'a list of dates "YYYY-MM-DD"' }), () => []),
  badge: section({
    minLength: or(whole(1, 64), 4),
    maxLength: or(whole(1, 256), 32),
    /** Keystrokes further apart than this are a person typing, not a reader. */
    maxKeyIntervalMs: or(whole(10, 500), 50),
    /** Unknown badges allowed within the window; then every badge waits (guessing is slowed). */
    unknownPerWindow: or(whole(1, 1000), 10),
    unknownWindowSeconds: or(whole(1, 3600), 60),
  }),
  pin: section({ maxAttempts: or(whole(1, 20), 5), lockoutMinutes: or(whole(1, 1440), 5) }),
  /** Seconds the greeting stays on screen. */
  greetingSeconds: or(whole(1, 60), 5),
  /** scrypt hash made by `npm run cli -- pin hash`; null disables admin mode. */
  adminPinHash: or(secret(z.nullable(pinHash)), null),
  admin: section({
    /** Admin mode ends after this many minutes without an admin action. */
    idleMinutes: or(whole(1, 60), 5),
    /** …and this many minutes after it was opened, however busy; then the PIN is asked again. */
    sessionMinutes: or(whole(1, 720), 30),
  }),
  crm: crmSettings,
  faces: section({
    enabled: or(flag, true),
    /** Camera label substring or device id; null: the first camera. */
    camera: or(z.nullable(words(1, 200)), null),
    /** `face`: a face alone identifies; `faceAndBadge`: the badge names, the face verifies. */
    mode: or(oneOf(['face', 'faceAndBadge']), 'face'),
    liveness: or(oneOf(['either', 'blink', 'turn', 'off']), 'either'),
    /** Largest descriptor distance that still counts as the same person. */
    threshold: or(fraction(0.1, 1.5), 0.5),
    /** How much closer the best person must be than the next best. */
    margin: or(fraction(0, 0.5), 0.1),
    /** Consecutive frames that must agree before anyone is identified. */
    agreeFrames: or(whole(1, 10), 2),
    minFaceSizePx: or(whole(40, 1000), 80),
    enrolmentSamples: or(whole(5, 20), 5),
    /** Days face data is kept after consent; then it is erased. */
    retentionDays: or(whole(1, 36500), 730),
  }),
  /** Where the punch store lives; CLOCKFACE_DATA_DIR wins over it. */
  dataDir: or(z.nullable(words(1, 4096)), null),
}).check((ctx) => {
  // A rule across keys is reported as its own sentence, not as "must be …, got …".
  const rule = (path: string[], sentence: string) =>
    ctx.issues.push({
      code: 'custom',
      message: sentence,
      path,
      input: undefined,
      params: { rule: true },
    })
  const { badge, crm } = ctx.value
  if (badge.minLength > badge.maxLength) {
    rule(['badge', 'minLength'], '"badge.minLength" must not be greater than "badge.maxLength"')
  }
  for (const { path, sentence } of crmRules(crm)) rule(['crm', ...path], sentence)
})

/** A key, its section or a whole section that holds a secret: its value is never shown. */
export function holdsSecret(schema: z.ZodMiniType | undefined): boolean {
  if (!schema) return false
  for (let layer: z.ZodMiniType | undefined = schema; layer; layer = unwrap(layer)) {
    if (isSecret(layer)) return true
  }
  return Object.values(shapeOf(schema) ?? {}).some(holdsSecret)
}

/** The keys of the section a schema describes, or undefined for a single value. */
export function shapeOf(schema: z.ZodMiniType): Record<string, z.ZodMiniType> | undefined {
  for (let layer: z.ZodMiniType | undefined = schema; layer; layer = unwrap(layer)) {
    if (layer instanceof z.ZodMiniObject) return layer.shape as Record<string, z.ZodMiniType>
  }
  return undefined
}

/** The schema of the key at `path`, if the declaration has one. */
export function schemaAt(path: readonly PropertyKey[]): z.ZodMiniType | undefined {
  let schema: z.ZodMiniType | undefined = configSchema
  for (const key of path) {
    const shape: Record<string, z.ZodMiniType> | undefined = schema && shapeOf(schema)
    schema = shape && typeof key === 'string' && Object.hasOwn(shape, key) ? shape[key] : undefined
  }
  return schema
}

// Through defaults, nullables and pipes (a section is its own-properties step, then the object).
function unwrap(schema: z.ZodMiniType): z.ZodMiniType | undefined {
  if (
    schema instanceof z.ZodMiniDefault ||
    schema instanceof z.ZodMiniPrefault ||
    schema instanceof z.ZodMiniNullable ||
    schema instanceof z.ZodMiniOptional
  ) {
    return schema.def.innerType as z.ZodMiniType
  }
  if (schema instanceof z.ZodMiniPipe) return schema.def.out as z.ZodMiniType
  return undefined
}
