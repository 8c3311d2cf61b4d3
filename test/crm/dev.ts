/**
 * `npm run crm:dev`: the reference CRM on 127.0.0.1:8787 for trying a kiosk against.
 * Flags: --port N, --data DIR (default .tmp/crm-dev), --token T, --roster FILE.csv
 * (columns id,name,badge[,active[,role]]; a header row is skipped).
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { headerDelimiter, parseCsv } from '../../electron/core/csv'
import { readCsvFile } from '../../electron/core/csv-encoding'
import type { CrmEmployee } from '../../electron/core/sync/crm-types'
import { DEV_DEVICE_TOKEN, startReferenceCrm } from './reference-server'

/** Employees from roster CSV text: id,name,badge[,active[,role]]; active defaults to true. */
export function employeesFromCsv(text: string): CrmEmployee[] {
  const records = parseCsv(text, headerDelimiter(text))
  if (records[0]?.fields[0]?.trim().toLowerCase() === 'id') records.shift()
  return records.map(({ line, fields }) => {
    const [id = '', name = '', badge = '', active = 'true', role = ''] = fields.map((f) => f.trim())
    if (!id || !name) throw new Error(`roster line ${line}: id and name are required`)
    const isActive = !/^(false|no|0|inactive)$/i.test(active)
    if (role && !['staff', 'supervisor', 'admin'].includes(role))
      throw new Error(`roster line ${line}: role must be staff, supervisor or admin`)
    return {
      id,
      name,
      active: isActive,
      ...(badge ? { badges: [badge] } : {}),
      ...(role ? { role } : {}),
    }
  })
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      data: { type: 'string', default: resolve(import.meta.dirname, '../../.tmp/crm-dev') },
      token: { type: 'string', default: DEV_DEVICE_TOKEN },
      roster: { type: 'string' },
    },
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0-65535')
  const crm = await startReferenceCrm({ dataDir: values.data, port, tokens: [values.token] })
  if (values.roster) {
    const employees = employeesFromCsv(readCsvFile(values.roster).text)
    for (const employee of employees) await crm.upsertEmployee(employee)
    console.log(`seeded ${employees.length} employees from ${values.roster}`)
  }
  console.log(`Clockface reference CRM listening on ${crm.url}`)
  console.log(`device token: ${values.token}`)
  console.log(`data: ${values.data}`)
  const stop = () => void crm.stop().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
