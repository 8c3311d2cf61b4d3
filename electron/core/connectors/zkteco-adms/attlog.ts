/**
 * The text of the ZKTeco PUSH (ADMS / iclock) protocol: ATTLOG lines the kiosk sends, and the
 * option lines and command lines a server sends back.
 */
import type { CrmPunch } from '../../sync/crm-types'
import { wallTime } from '../frappe/wall-time'

/** ATTLOG status: the punch's direction (2–5 are breaks and overtime, unused here). */
const STATUS = { in: 0, out: 1 } as const

/**
 * ATTLOG verify mode, from ZKTeco's verification codes: 15 face, 4 card (RF), 0 password. An
 * admin's correction or an automatic check-out has no code of its own and goes as 0.
 */
export const VERIFY_MODE: Record<CrmPunch['method'], number> = {
  face: 15,
  badge: 4,
  pin: 0,
  manual: 0,
  auto: 0,
}

/** Why an employee id cannot be a PIN on the wire, or undefined when it can. */
export function unsendablePin(pin: string): string | undefined {
  return /[\t\r\n]/.test(pin) || pin.trim() === ''
    ? `employee id ${JSON.stringify(pin)} cannot be an ADMS PIN (it holds a tab or line break)`
    : undefined
}

/** One ATTLOG line: PIN, local wall time, status, verify mode, work code, two reserved fields. */
export function attlogLine(punch: CrmPunch, timeZone: string): string {
  const time = wallTime(Date.parse(punch.occurredAt), timeZone)
  return [punch.employeeId, time, STATUS[punch.type], VERIFY_MODE[punch.method], 0, 0, 0].join('\t')
}

/** True for the server's acceptance of a POST: `OK` or `OK: n`. */
export function isOk(body: string): boolean {
  return /^OK(\s*:\s*\d+)?$/i.test(body.trim())
}

/** The `Key=Value` lines of a handshake answer (the `GET OPTION FROM: SN` line is skipped). */
export function readOptions(body: string): Record<string, string> {
  const options: Record<string, string> = {}
  for (const line of body.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z][\w]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (m && Object.keys(options).length < 200) options[m[1]!] = m[2]!.slice(0, 200)
  }
  return options
}

/** A server's `TimeZone` option (hours: `8`, `5.5`, `+7:00`, `-05:30`) in minutes. */
export function zoneMinutes(value: string | undefined): number | undefined {
  const m = /^([+-]?)(\d{1,2})(?:(?:\.(\d+))|(?::(\d{2})))?$/.exec((value ?? '').trim())
  if (!m) return undefined
  const sign = m[1] === '-' ? -1 : 1
  const hours = Number(m[2])
  const minutes = m[3] !== undefined ? Number(`0.${m[3]}`) * 60 : Number(m[4] ?? 0)
  return sign * Math.round(hours * 60 + minutes)
}

/** A command from `getrequest`: `C:<id>:<command…>`. */
export interface AdmsCommand {
  id: string
  /** The command's first word (`DATA`, `CHECK`, `REBOOT`, …), as the reply names it. */
  cmd: string
}

/** The commands in a `getrequest` answer (none for `OK`). */
export function readCommands(body: string): AdmsCommand[] {
  const commands: AdmsCommand[] = []
  for (const line of body.split(/\r?\n/)) {
    const m = /^C:([^:\s]{1,32}):\s*([A-Za-z_]+)/.exec(line.trim())
    if (m && commands.length < 100) commands.push({ id: m[1]!, cmd: m[2]!.toUpperCase() })
  }
  return commands
}
