/**
 * A tiny runtime schema: one declaration gives both the TypeScript type of a payload and the
 * check that main runs on every call crossing the process boundary. No dependencies, no Node,
 * no DOM: it is compiled into main, preload and renderer alike.
 */

export class SchemaError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path || 'payload'} must be ${expected}`)
    this.name = 'SchemaError'
  }
}

export interface Schema<T> {
  /** Returns the value typed, or throws SchemaError naming the path and what was expected. */
  parse(value: unknown, path?: string): T
  readonly expected: string
}

export type Infer<S> = S extends Schema<infer T> ? T : never

function schema<T>(expected: string, check: (value: unknown, path: string) => T): Schema<T> {
  return { expected, parse: (value, path = '') => check(value, path) }
}

interface StringOptions {
  min?: number
  max?: number
  pattern?: RegExp
}

function string(opts: StringOptions = {}): Schema<string> {
  const { min = 0, max = 10_000, pattern } = opts
  const expected = `a string of ${min} to ${max} characters${pattern ? ` matching ${pattern}` : ''}`
  return schema(expected, (value, path) => {
    if (typeof value !== 'string' || value.length < min || value.length > max) {
      throw new SchemaError(path, expected)
    }
    if (pattern && !pattern.test(value)) throw new SchemaError(path, expected)
    return value
  })
}

function integer(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Schema<number> {
  const expected = `a whole number from ${min} to ${max}`
  return schema(expected, (value, path) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new SchemaError(path, expected)
    }
    return value
  })
}

function number(min = -Number.MAX_VALUE, max = Number.MAX_VALUE): Schema<number> {
  const expected = `a finite number from ${min} to ${max}`
  return schema(expected, (value, path) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new SchemaError(path, expected)
    }
    return value
  })
}

function boolean(): Schema<boolean> {
  return schema('true or false', (value, path) => {
    if (typeof value !== 'boolean') throw new SchemaError(path, 'true or false')
    return value
  })
}

function oneOf<const T extends readonly string[]>(values: T): Schema<T[number]> {
  const expected = `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`
  return schema(expected, (value, path) => {
    if (typeof value !== 'string' || !values.includes(value)) throw new SchemaError(path, expected)
    return value as T[number]
  })
}

/** Accepts `undefined` or `null` only: for operations that take no payload. */
function none(): Schema<void> {
  return schema('empty', (value, path) => {
    if (value !== undefined && value !== null) throw new SchemaError(path, 'empty')
  })
}

function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return schema(`${inner.expected} (optional)`, (value, path) =>
    value === undefined ? undefined : inner.parse(value, path),
  )
}

function array<T>(item: Schema<T>, max = 1000): Schema<T[]> {
  const expected = `a list of at most ${max} items`
  return schema(expected, (value, path) => {
    if (!Array.isArray(value) || value.length > max) throw new SchemaError(path, expected)
    return value.map((v, i) => item.parse(v, `${path}[${i}]`))
  })
}

type Shape = Record<string, Schema<unknown>>
type ObjectOf<S extends Shape> = {
  [K in keyof S as undefined extends Infer<S[K]> ? never : K]: Infer<S[K]>
} & { [K in keyof S as undefined extends Infer<S[K]> ? K : never]?: Infer<S[K]> }

/** A plain object with exactly these keys; unknown keys are refused rather than ignored. */
function object<S extends Shape>(shape: S): Schema<{ [K in keyof ObjectOf<S>]: ObjectOf<S>[K] }> {
  const keys = Object.keys(shape)
  const expected = `an object with keys ${keys.join(', ')}`
  return schema(expected, (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new SchemaError(path, expected)
    }
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value)) {
      if (!(key in shape)) throw new SchemaError(path ? `${path}.${key}` : key, 'absent')
    }
    for (const key of keys) {
      const parsed = shape[key]!.parse(
        (value as Record<string, unknown>)[key],
        path ? `${path}.${key}` : key,
      )
      if (parsed !== undefined) out[key] = parsed
    }
    return out as { [K in keyof ObjectOf<S>]: ObjectOf<S>[K] }
  })
}

export const s = { string, integer, number, boolean, oneOf, none, optional, array, object }
