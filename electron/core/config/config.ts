/**
 * The machine-wide config file IT provisions. Every key has a default, so a kiosk with no file
 * at all runs (local store, offline only). A bad file or value fails with a message naming the
 * key and what was expected.
 */
import { readFileSync } from 'node:fs'
import { pathText, type z } from '../../shared/schema'
import { configSchema, holdsSecret, schemaAt, shapeOf } from './config-schema'
import { defaultConfigPath, defaultDataDir } from './paths'

/** Every key of the config file, defaults filled in. */
export type Config = z.output<typeof configSchema>

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
  return configSchema.parse({})
}

/** Checks a parsed config file and fills in the defaults for every key it leaves out. */
export function parseConfig(raw: unknown): Config {
  if (!isPlainObject(raw)) throw new ConfigError('config: the file must hold one JSON object')
  const result = configSchema.safeParse(raw, { reportInput: true })
  if (!result.success) throw configError(result.error.issues[0]!)
  return result.data
}

/** The config as it may be shown: every secret key reads "(set)" or null. */
export function withSecretsHidden(config: Config): Record<string, unknown> {
  return hide(config, [])
}

function hide(value: unknown, path: string[]): Record<string, unknown> {
  const shown: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const schema = schemaAt([...path, key])
    if (holdsSecret(schema) && !shapeOf(schema!)) shown[key] = item === null ? null : '(set)'
    else if (schema && shapeOf(schema)) shown[key] = hide(item, [...path, key])
    else shown[key] = item
  }
  return shown
}

function configError(issue: z.core.$ZodIssue): ConfigError {
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(shapeOf(schemaAt(issue.path)!) ?? {})
    const key = pathText([...issue.path, issue.keys[0]!])
    return new ConfigError(`config: unknown key "${key}"; known keys: ${known.join(', ')}`)
  }
  if (issue.code === 'custom' && issue.params?.rule)
    return new ConfigError(`config: ${issue.message}`)
  const key = pathText(issue.path)
  // A secret's value (a PIN someone typed in place of its hash, a token) never reaches a screen.
  const got = holdsSecret(schemaAt(issue.path))
    ? ' (the value is secret, so it is not shown)'
    : `, got ${issue.input === undefined ? 'nothing' : JSON.stringify(issue.input)?.slice(0, 60)}`
  return new ConfigError(`config: "${key}" must be ${issue.message}${got}`)
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
      throw new ConfigError(`config: ${path} is not valid JSON${where(source, error)}`)
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

// V8's own message quotes the text around the fault, which may be a token or a PIN hash.
function where(source: string, error: unknown): string {
  const at = /at position (\d+)/.exec((error as Error).message)
  if (!at) return ' (an unexpected character or an unfinished value)'
  const before = source.replace(/^\uFEFF/, '').slice(0, Number(at[1]))
  const line = before.split('\n').length
  return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
