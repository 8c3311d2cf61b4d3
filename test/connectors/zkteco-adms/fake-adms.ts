/**
 * An ADMS server on 127.0.0.1 speaking ZKTeco's PUSH protocol as published server
 * implementations do: the handshake answers `GET OPTION FROM: SN` and option lines, ATTLOG
 * posts are tab-separated lines kept once per (SN, PIN, time) and answered `OK: n`, commands
 * wait in a queue for `getrequest` and their results come back to `devicecmd`. A terminal it
 * does not know gets "FAIL" (or a status, as some servers send).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { zonedToInstant } from '../../../electron/core/attendance/zoned-time'
import { close, listen, readBody } from '../../crm/http-kit'

export interface AttlogRecord {
  sn: string
  pin: string
  /** Local wall time `YYYY-MM-DD HH:MM:SS` on the server's zone. */
  time: string
  status: number
  verify: number
  workcode: string
}

export type AdmsFault =
  | { status: number; body?: string; type?: string; headers?: Record<string, string> }
  | { drop: true }

export interface FakeAdmsOptions {
  zone: string
  /** Serial numbers of the terminals registered on the server. */
  terminals: readonly string[]
  /** The server's `TimeZone` option (hours); default: the zone's offset now. */
  timeZoneOption?: string
  /** How an unregistered terminal is answered: "FAIL" in a 200 (default) or this status. */
  unknownTerminal?: 'FAIL' | number
}

export interface FakeAdms {
  url: string
  records: AttlogRecord[]
  /** ATTLOG lines received, duplicates and all. */
  received: number
  /** The last Stamp each terminal posted ATTLOG with. */
  stamps: Map<string, string>
  /** Commands waiting for `getrequest`, and the replies terminals posted to `devicecmd`. */
  commands: string[]
  commandReplies: string[]
  requests: { method: string; path: string; query: string; contentType: string | undefined }[]
  faults: AdmsFault[]
  /** The instant a record's wall time means in the zone (the first one when repeated). */
  instantOf(record: AttlogRecord): number
  stop(): Promise<void>
}

const LINE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/

/** Starts the server with `terminals` registered. */
export async function startFakeAdms(opts: FakeAdmsOptions): Promise<FakeAdms> {
  const keys = new Set<string>()
  const fake: FakeAdms = {
    url: '',
    records: [],
    received: 0,
    stamps: new Map(),
    commands: [],
    commandReplies: [],
    requests: [],
    faults: [],
    instantOf(record) {
      const [date, clock] = record.time.split(' ') as [string, string]
      return zonedToInstant(date, clock.slice(0, 5), opts.zone) + Number(clock.slice(6)) * 1000
    },
    stop: () => close(server),
  }
  let cmdId = 0

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => send(res, 500, 'ERROR'))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://adms.local')
    const body = (await readBody(req, 4 * 1024 * 1024)).toString('utf8')
    fake.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.search,
      contentType: req.headers['content-type'],
    })
    const fault = fake.faults.shift()
    if (fault && !('drop' in fault)) {
      res.writeHead(fault.status, { 'Content-Type': fault.type ?? 'text/plain', ...fault.headers })
      res.end(fault.body ?? '')
      return
    }
    const [status, text] = route(req.method ?? '', url, body)
    if (fault) {
      req.socket.destroy()
      return
    }
    send(res, status, text)
  }

  function route(method: string, url: URL, body: string): [number, string] {
    const sn = url.searchParams.get('SN') ?? ''
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(sn)) return [400, 'Bad SN']
    if (!opts.terminals.includes(sn)) {
      const unknown = opts.unknownTerminal ?? 'FAIL'
      return unknown === 'FAIL' ? [200, 'FAIL'] : [unknown, 'Unknown device']
    }
    if (url.pathname === '/iclock/cdata' && method === 'GET') return [200, options(sn)]
    if (url.pathname === '/iclock/cdata' && method === 'POST') {
      if (url.searchParams.get('table') !== 'ATTLOG') return [200, 'OK']
      return [200, `OK: ${attlog(sn, body, url.searchParams.get('Stamp') ?? '')}`]
    }
    if (url.pathname === '/iclock/getrequest' && method === 'GET') {
      const pending = fake.commands.splice(0).map((cmd) => `C:${++cmdId}:${cmd}`)
      return [200, pending.length > 0 ? `${pending.join('\n')}\n` : 'OK']
    }
    if (url.pathname === '/iclock/devicecmd' && method === 'POST') {
      fake.commandReplies.push(...body.split(/\r?\n/).filter(Boolean))
      return [200, 'OK']
    }
    return [404, 'Not Found']
  }

  function options(sn: string): string {
    const offset = -new Date().getTimezoneOffset()
    const zone = opts.timeZoneOption ?? String(zoneHours(opts.zone) ?? offset / 60)
    return [
      `GET OPTION FROM: ${sn}`,
      `ATTLOGStamp=${fake.stamps.get(sn) ?? 'None'}`,
      'OPERLOGStamp=9999',
      'ATTPHOTOStamp=None',
      'ErrorDelay=30',
      'Delay=10',
      'TransTimes=00:00;14:05',
      'TransInterval=1',
      'TransFlag=TransData AttLog OpLog',
      `TimeZone=${zone}`,
      'Realtime=1',
      'Encrypt=None',
      '',
    ].join('\r\n')
  }

  /** Keeps each new (SN, PIN, time); returns how many lines it read. */
  function attlog(sn: string, body: string, stamp: string): number {
    let read = 0
    for (const line of body.split('\n')) {
      const fields = line.replace(/\r$/, '').split('\t')
      if (fields.length < 2 || !fields[0] || !LINE_TIME.test(fields[1]!)) continue
      read++
      fake.received++
      const key = `${sn}\t${fields[0]}\t${fields[1]}`
      if (keys.has(key)) continue
      keys.add(key)
      fake.records.push({
        sn,
        pin: fields[0],
        time: fields[1]!,
        status: Number(fields[2] ?? 0),
        verify: Number(fields[3] ?? 0),
        workcode: fields[4] ?? '0',
      })
    }
    fake.stamps.set(sn, stamp)
    return read
  }

  fake.url = (await listen(server)).url
  return fake
}

function zoneHours(zone: string): number | undefined {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName')?.value
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '')
  if (!m) return name === 'GMT' ? 0 : undefined
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) + Number(m[3]) / 60)
}

function send(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return
  res.writeHead(status, { 'Content-Type': 'text/plain' })
  res.end(text)
}
