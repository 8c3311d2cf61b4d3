// @ts-check
/** The sql.js engine, initialised once per thread. */
import initSqlJs from 'sql.js'

/** @type {Promise<import('sql.js').SqlJsStatic> | null} */
let engine = null

/** The sql.js module; in Node it finds `sql-wasm.wasm` beside its own script in node_modules. */
export function loadSqlJs() {
  engine ??= initSqlJs().catch((/** @type {unknown} */ error) => {
    engine = null
    throw error
  })
  return engine
}
