/** The pieces the config file's declaration is built from, shared by every section of it. */
import { record, z } from '../../shared/schema'

const secrets = new WeakSet<z.ZodMiniType>()

/** Marks a key whose value is never shown: wrap it inside its default. */
export function secret<T extends z.ZodMiniType>(schema: T): T {
  secrets.add(schema)
  return schema
}

/** True for a schema marked `secret`. */
export function isSecret(schema: z.ZodMiniType): boolean {
  return secrets.has(schema)
}

/** A section of the file: its own keys only, each optional, missing ones from the defaults. */
export function section<S extends Record<string, z.ZodMiniType>>(shape: S) {
  return z.prefault(record(shape), {})
}

/** A key's default, used when the file leaves it out. */
export const or = z._default

/** Text of `min` to `max` characters once trimmed; kept trimmed. */
export function words(min: number, max: number) {
  const error = `a text of ${min} to ${max} characters`
  return z
    .string({ error })
    .check(z.trim(), z.minLength(min, { error }), z.maxLength(max, { error }))
}

/** A rule across keys, reported as its own sentence: the key it is about and what must hold. */
export interface CrossKeyRule {
  path: string[]
  sentence: string
}

/** Rules that each of `keys` (under `path` in the crm section) is set, for the reason given. */
export function requiredKeys(
  keys: Record<string, unknown>,
  path: string[],
  because: string,
): CrossKeyRule[] {
  return Object.entries(keys)
    .filter(([, value]) => value === null || value === undefined)
    .map(([key]) => ({
      path: [...path, key],
      sentence: `${because} needs "crm.${[...path, key].join('.')}"`,
    }))
}
