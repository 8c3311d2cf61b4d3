/**
 * The one schema library for every boundary (IPC payloads, config, CRM replies): zod, so each
 * shape gives its TypeScript type, its defaults and its check from one declaration. Pure
 * JavaScript, no Node, no DOM: it runs in main, the sandboxed preload and the renderer alike.
 * `zod/mini` is zod's tree-shakable form: the preload and the screen carry only what they use.
 */
import * as z from 'zod/mini'

// Zod's fast path compiles code with `new Function`, which the renderer's CSP forbids (and
// merely trying it logs a violation); the interpreted path checks exactly the same.
z.config({ jitless: true })

export { z }

/** A boundary check failed: says where and what was expected, never the value that was sent. */
export class SchemaError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path || 'payload'} must be ${expected}`)
    this.name = 'SchemaError'
  }
}

/** `a.b[3].c` for an issue path. */
export function pathText(path: readonly PropertyKey[], root = ''): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    root,
  )
}

// Wording for issues whose schema gave none; like the schemas' own, it never quotes the input.
function expectedOf(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'object' ? 'an object' : `of type ${issue.expected}`
    case 'unrecognized_keys':
      return 'absent'
    case 'invalid_value':
      return choices(issue.values)
    case 'too_small':
      return `at least ${String(issue.minimum)}`
    case 'too_big':
      return `at most ${String(issue.maximum)}`
    default:
      return 'valid'
  }
}

/** The first problem in a failed parse, as path and expectation (unknown keys are named). */
export function firstProblem(
  error: z.core.$ZodError,
  root = '',
): { path: string; expected: string; issue: z.core.$ZodIssue } {
  const issue = error.issues[0]!
  if (issue.code === 'unrecognized_keys') {
    return { path: pathText([...issue.path, issue.keys[0]!], root), expected: 'absent', issue }
  }
  return { path: pathText(issue.path, root), expected: issue.message, issue }
}

/** The value typed, or a SchemaError for its first problem (`root` prefixes the path). */
export function parseOrThrow<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  root = '',
): z.output<S> {
  const result = schema.safeParse(value, { error: expectedOf })
  if (result.success) return result.data
  const { path, expected } = firstProblem(result.error, root)
  throw new SchemaError(path, expected)
}

type Shape = Record<string, z.ZodMiniType>

// Only own properties count: a name a value merely inherits (`constructor`, `toString`, a
// prototype's `badge`) is neither a known key nor a value, and an own `__proto__` stays a key.
function ownProperties(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  return Object.fromEntries(Object.entries(value))
}

/** A plain object with exactly these keys, own properties only; unknown keys are refused. */
export function record<S extends Shape>(shape: S, expected = 'an object') {
  return z.pipe(z.transform(ownProperties), z.strictObject(shape, { error: expected }))
}

/** Like `record`, but keys outside the shape are dropped: for replies we only read from. */
export function reply<S extends Shape>(shape: S, expected = 'an object') {
  return z.pipe(z.transform(ownProperties), z.object(shape, { error: expected }))
}

/** A string of `min` to `max` characters (UTF-16 units), optionally matching `pattern`. */
export function text(min: number, max: number, pattern?: RegExp) {
  const error = `a string of ${min} to ${max} characters${pattern ? ` matching ${pattern}` : ''}`
  const checks = [z.minLength(min, { error }), z.maxLength(max, { error })]
  return z.string({ error }).check(...checks, ...(pattern ? [z.regex(pattern, { error })] : []))
}

/** A whole number from `min` to `max`. */
export function whole(min: number, max: number) {
  const error = `a whole number from ${min} to ${max}`
  return z.int({ error }).check(z.minimum(min, { error }), z.maximum(max, { error }))
}

/** A finite number from `min` to `max`. */
export function finite(
  min: number,
  max: number,
  expected = `a finite number from ${min} to ${max}`,
) {
  const error = expected
  return z.number({ error }).check(z.minimum(min, { error }), z.maximum(max, { error }))
}

/** One of these strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: choices(values) })
}

/** `"a", "b" or "c"`. */
function choices(values: readonly unknown[]): string {
  const quoted = values.map((v) => JSON.stringify(v))
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted[0]!
}

/** A list of exactly `length` items. */
export function tuple<T extends z.ZodMiniType>(item: T, length: number) {
  const error = `a list of exactly ${length} items`
  return z.array(item, { error }).check(z.length(length, { error }))
}

/** A list of at most `max` items. */
export function list<T extends z.ZodMiniType>(item: T, max: number) {
  const error = `a list of at most ${max} items`
  return z.array(item, { error }).check(z.maxLength(max, { error }))
}

/** Accepts `undefined` or `null` only: for operations that take no payload. */
export function none() {
  return z.custom<void>((value) => value === undefined || value === null, { error: 'empty' })
}
