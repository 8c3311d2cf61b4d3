/**
 * The machine-wide config file IT provisions. Every key has a default, so a kiosk with no file
 * at all runs (local store, offline only). A bad file or value fails with a message naming the
 * key and what was expected.
 */
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import type { FaceMode, Language, LivenessMode } from '../../shared/types'
import { defaultConfigPath, defaultDataDir } from './paths'

export interface Config {
  site: { id: string; name: string }
  /** IANA zone whose days and schedules count; defaults to the machine's zone. */
  timeZone: string
  language: Language
  attendance: {
    /** A second scan within this many seconds records nothing. */
    duplicateWindowSeconds: number
    /** For this many seconds after a punch, "check out instead" may flip it. */
    switchWindowSeconds: number
    lateGraceMinutes: number
    earlyGraceMinutes: number
  }
  badge: {
    minLength: number
    maxLength: number
    /** Keystrokes further apart than this are a person typing, not a reader. */
    maxKeyIntervalMs: number
  }
  pin: { maxAttempts: number; lockoutMinutes: number }
  /** Seconds the greeting stays on screen. */
  greetingSeconds: number
  /** scrypt hash made by `npm run cli -- pin hash`; null disables admin mode. */
  adminPinHash: string | null
  crm: {
    url: string | null
    deviceToken: string | null
    deviceId: string
    /** Punches per upload request (1–500). */
    batchSize: number
    /** Request timeout, seconds. */
    timeoutSeconds: number
    /** First retry ceiling (ms) and largest one (s): capped exponential backoff, full jitter. */
    retryBaseMs: number
    retryCapSeconds: number
    rosterSyncMinutes: number
    heartbeatMinutes: number
  }
  faces: {
    enabled: boolean
    /** Camera label substring or device id; null: the first camera. */
    camera: string | null
    /** `face`: a face alone identifies; `faceAndBadge`: the badge names, the face verifies. */
    mode: FaceMode
    liveness: LivenessMode
    /** Largest descriptor distance that still counts as the same person. */
    threshold: number
    /** How much closer the best person must be than the next best. */
    margin: number
    /** Consecutive frames that must agree before anyone is identified. */
    agreeFrames: number
    minFaceSizePx: number
    enrolmentSamples: number
    /** Days face data is kept after consent; then it is erased. */
    retentionDays: number
  }
  /** Where the punch store lives; CLOCKFACE_DATA_DIR wins over it. */
  dataDir: string | null
}

export interface LoadedConfig {
  config: Config
  /** The file read, or the default path that was looked for. */
  path: string
  fromFile: boolean
  dataDir: string
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

/** Defaults for every key; `timeZone` and `crm.deviceId` come from the machine. */
export function defaultConfig(): Config {
  return {
    site: { id: 'default', name: 'Clockface' },
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    language: 'en',
    attendance: {
      duplicateWindowSeconds: 120,
      switchWindowSeconds: 10,
      lateGraceMinutes: 15,
      earlyGraceMinutes: 15,
    },
    badge: { minLength: 4, maxLength: 32, maxKeyIntervalMs: 50 },
    pin: { maxAttempts: 5, lockoutMinutes: 5 },
    greetingSeconds: 5,
    adminPinHash: null,
    crm: {
      url: null,
      deviceToken: null,
      deviceId: hostname() || 'kiosk',
      batchSize: 100,
      timeoutSeconds: 15,
      retryBaseMs: 1000,
      retryCapSeconds: 300,
      rosterSyncMinutes: 5,
      heartbeatMinutes: 5,
    },
    faces: {
      enabled: true,
      camera: null,
      mode: 'face',
      liveness: 'either',
      threshold: 0.5,
      margin: 0.05,
      agreeFrames: 2,
      minFaceSizePx: 80,
      enrolmentSamples: 5,
      retentionDays: 730,
    },
    dataDir: null,
  }
}

type Check = (value: unknown, key: string) => unknown

const text =
  (min = 1, max = 200): Check =>
  (value, key) => {
    if (typeof value !== 'string' || value.trim().length < min || value.length > max) {
      throw bad(key, `a text of ${min} to ${max} characters`, value)
    }
    return value.trim()
  }

const whole =
  (min: number, max: number): Check =>
  (value, key) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw bad(key, `a whole number from ${min} to ${max}`, value)
    }
    return value
  }

const nullable =
  (inner: Check): Check =>
  (value, key) =>
    value === null ? null : inner(value, key)

const timeZone: Check = (value, key) => {
  if (typeof value !== 'string' || !isTimeZone(value)) {
    throw bad(key, 'an IANA time zone such as "Asia/Shanghai" or "Europe/Berlin"', value)
  }
  return value
}

const language: Check = (value, key) => {
  if (value !== 'zh-CN' && value !== 'en') throw bad(key, '"zh-CN" or "en"', value)
  return value
}

const fraction =
  (min: number, max: number): Check =>
  (value, key) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw bad(key, `a number from ${min} to ${max}`, value)
    }
    return value
  }

const flag: Check = (value, key) => {
  if (typeof value !== 'boolean') throw bad(key, 'true or false', value)
  return value
}

const livenessMode: Check = (value, key) => {
  if (value !== 'off' && value !== 'blink' && value !== 'turn' && value !== 'either') {
    throw bad(key, '"either", "blink", "turn" or "off"', value)
  }
  return value
}

const faceMode: Check = (value, key) => {
  if (value !== 'face' && value !== 'faceAndBadge')
    throw bad(key, '"face" or "faceAndBadge"', value)
  return value
}

const pinHash: Check = (value, key) => {
  if (
    typeof value !== 'string' ||
    !/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/.test(value)
  ) {
    throw bad(key, 'a hash made by `npm run cli -- pin hash` (never the PIN itself)', value)
  }
  return value
}

const httpUrl: Check = (value, key) => {
  let url: URL | undefined
  try {
    url = typeof value === 'string' ? new URL(value) : undefined
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw bad(key, 'an http(s) URL such as "https://crm.example.com"', value)
  }
  return url.toString().replace(/\/$/, '')
}

/** The shape of the file: every key optional, each with its check. */
const checks: Record<string, Check | Record<string, Check>> = {
  site: { id: text(1, 64), name: text(1, 100) },
  timeZone,
  language,
  attendance: {
    duplicateWindowSeconds: whole(0, 3600),
    switchWindowSeconds: whole(0, 60),
    lateGraceMinutes: whole(0, 240),
    earlyGraceMinutes: whole(0, 240),
  },
  badge: { minLength: whole(1, 64), maxLength: whole(1, 256), maxKeyIntervalMs: whole(10, 500) },
  pin: { maxAttempts: whole(1, 20), lockoutMinutes: whole(1, 1440) },
  greetingSeconds: whole(1, 60),
  adminPinHash: nullable(pinHash),
  crm: {
    url: nullable(httpUrl),
    deviceToken: nullable(text(8, 4096)),
    deviceId: text(1, 128),
    batchSize: whole(1, 500),
    timeoutSeconds: whole(1, 120),
    retryBaseMs: whole(10, 60_000),
    retryCapSeconds: whole(1, 3600),
    rosterSyncMinutes: whole(1, 1440),
    heartbeatMinutes: whole(1, 1440),
  },
  faces: {
    enabled: flag,
    camera: nullable(text(1, 200)),
    mode: faceMode,
    liveness: livenessMode,
    threshold: fraction(0.1, 1.5),
    margin: fraction(0, 0.5),
    agreeFrames: whole(1, 10),
    minFaceSizePx: whole(40, 1000),
    enrolmentSamples: whole(5, 20),
    retentionDays: whole(1, 36500),
  },
  dataDir: nullable(text(1, 4096)),
}

/** Checks a parsed config file and merges it over the defaults. */
export function parseConfig(raw: unknown, base: Config = defaultConfig()): Config {
  if (!isPlainObject(raw)) throw new ConfigError('config: the file must hold one JSON object')
  const merged = structuredClone(base) as unknown as Record<string, unknown>
  mergeSection(raw, checks, merged, '')
  const config = merged as unknown as Config
  if (config.badge.minLength > config.badge.maxLength) {
    throw new ConfigError('config: "badge.minLength" must not be greater than "badge.maxLength"')
  }
  if ((config.crm.url === null) !== (config.crm.deviceToken === null)) {
    throw new ConfigError(
      'config: "crm.url" and "crm.deviceToken" must be set together (or neither)',
    )
  }
  return config
}

function mergeSection(
  raw: Record<string, unknown>,
  shape: Record<string, Check | Record<string, Check>>,
  into: Record<string, unknown>,
  prefix: string,
): void {
  for (const [key, value] of Object.entries(raw)) {
    const path = prefix + key
    const check = shape[key]
    if (!check) {
      throw new ConfigError(
        `config: unknown key "${path}"; known keys: ${Object.keys(shape).join(', ')}`,
      )
    }
    if (typeof check === 'function') {
      into[key] = check(value, path)
    } else {
      if (!isPlainObject(value)) throw bad(path, 'an object', value)
      mergeSection(value, check, into[key] as Record<string, unknown>, `${path}.`)
    }
  }
}

/**
 * Reads the config named by CLOCKFACE_CONFIG (which must exist), else the per-OS default path
 * (which may be missing), and works out the data folder.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const explicit = env.CLOCKFACE_CONFIG?.trim()
  const path = explicit || defaultConfigPath(env)
  let source: string | undefined
  try {
    source = readFileSync(path, 'utf8')
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    if (explicit || !missing) {
      throw new ConfigError(`config: cannot read ${path}: ${(error as Error).message}`)
    }
  }
  let config = defaultConfig()
  if (source !== undefined) {
    let raw: unknown
    try {
      raw = JSON.parse(source.replace(/^\uFEFF/, ''))
    } catch (error) {
      throw new ConfigError(`config: ${path} is not valid JSON: ${(error as Error).message}`)
    }
    try {
      config = parseConfig(raw)
    } catch (error) {
      if (error instanceof ConfigError) throw new ConfigError(`${error.message} (in ${path})`)
      throw error
    }
  }
  const dataDir = env.CLOCKFACE_DATA_DIR?.trim() || config.dataDir || defaultDataDir(env)
  return { config, path, fromFile: source !== undefined, dataDir }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return zone.length > 0
  } catch {
    return false
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function bad(key: string, expected: string, value: unknown): ConfigError {
  const got = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 60)
  return new ConfigError(`config: "${key}" must be ${expected}, got ${got}`)
}
