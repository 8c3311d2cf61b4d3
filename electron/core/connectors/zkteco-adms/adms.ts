/**
 * A ZKTeco ADMS server (the PUSH / iclock protocol terminals speak) as a connector: the kiosk is
 * one terminal with its own serial number. It shakes hands for the server's options, posts a
 * batch as ATTLOG lines in one request, and polls for commands as its heartbeat. Servers keep
 * one record per (serial number, PIN, time), so a batch sent again creates nothing twice.
 */
import { zonedParts } from '../../attendance/zoned-time'
import { safeCrmUrl } from '../../sync/crm-url'
import type { Connector, UploadOutcome } from '../connector'
import {
  CrmError,
  createHttp,
  mediaType,
  safeWords,
  statusError,
  statusKind,
  type HttpCall,
  type HttpOptions,
  type HttpResponse,
} from '../http'
import type { Logger } from '../../logger'
import {
  attlogLine,
  isOk,
  readCommands,
  readOptions,
  unsendablePin,
  zoneMinutes,
  type AdmsCommand,
} from './attlog'
import type { ZktecoAdmsSettings } from './settings'

const NAME = 'the ADMS server'
const MAX_BATCH = 500
/** The PUSH protocol version the kiosk speaks as a terminal. */
export const PUSH_VERSION = '2.4.1'
/** `Return` for a command a terminal does not support. */
export const UNSUPPORTED = '-1002'

/** What the connector takes of the kiosk's ConnectorContext (connectors/index.ts). */
export interface AdmsContext {
  timeZone: string
  deviceId: string
  timeoutMs: number
  onServerDate?: HttpOptions['onServerDate']
  /** Durable: the server's options and the last ATTLOG Stamp sent. */
  state: { get(key: string): string | undefined; set(key: string, value: string): void }
  log: Logger
}

/** The connector for `crm.kind` "zkteco-adms", or undefined while crm.url is not set. */
export function zktecoAdmsFromSettings(
  url: string | null,
  adms: ZktecoAdmsSettings,
  context: AdmsContext,
): Connector | undefined {
  return url ? zktecoAdmsConnector(url, adms, context) : undefined
}

/** A connector that is one ZKTeco terminal to the ADMS server at `url`. */
export function zktecoAdmsConnector(
  url: string,
  adms: ZktecoAdmsSettings,
  context: AdmsContext,
): Connector {
  const base = new URL(url)
  // The config rule is the first guard; this one keeps any other caller to it too.
  if (!safeCrmUrl(url) && !(base.protocol === 'http:' && adms.allowPlainHttp)) {
    throw new TypeError('a plain http ADMS server needs "crm.zktecoAdms.allowPlainHttp" true')
  }
  const sn = adms.serialNumber ?? context.deviceId
  const http = createHttp({
    baseUrl: base,
    timeoutMs: context.timeoutMs,
    headers: { Accept: 'text/plain, */*' },
    name: NAME,
    ...(context.onServerDate ? { onServerDate: context.onServerDate } : {}),
  })
  let shaken = false

  /** The reply's text when it is 200; otherwise the CrmError its status means. */
  const text = async (call: HttpCall): Promise<string> => {
    const res = await http(call)
    if (res.status !== 200) throw failure(res)
    if (mediaType(res) === 'text/html' || /^\s*</.test(res.data)) {
      throw new CrmError('malformed', `expected text from ${NAME}, got a web page`)
    }
    if (mediaType(res) === 'application/json' || /^\s*[{[]/.test(res.data)) {
      throw new CrmError('malformed', `expected text from ${NAME}, got JSON`)
    }
    return res.data
  }

  async function handshake(): Promise<Record<string, string>> {
    const body = await text({
      method: 'GET',
      path: '/iclock/cdata',
      params: { SN: sn, options: 'all', pushver: PUSH_VERSION },
    })
    const options = readOptions(body)
    if (Object.keys(options).length === 0) {
      // An unregistered terminal is told "FAIL" or the like: the server does not accept it.
      if (/^[\w .:!-]{1,40}$/.test(body.trim())) {
        throw new CrmError('unauthorised', `${NAME} did not accept terminal ${sn}: ${said(body)}`)
      }
      throw new CrmError('malformed', `unexpected reply from ${NAME}: no options in the handshake`)
    }
    context.state.set('options', JSON.stringify(options))
    warnOnZone(options.TimeZone)
    shaken = true
    return options
  }

  function warnOnZone(value: string | undefined): void {
    const server = zoneMinutes(value)
    const site = zonedParts(Date.now(), context.timeZone).offsetMinutes
    if (server !== undefined && server !== site) {
      context.log.warn(
        `${NAME} runs at UTC${value} but the site's zone ${context.timeZone} is at ` +
          `${site / 60} h: it reads this kiosk's wall times in the site's zone only if they agree`,
      )
    }
  }

  /** The Stamp for the next ATTLOG post: after the last one sent and the server's own. */
  function nextStamp(): number {
    const ours = Number(context.state.get('stamp.ATTLOG') ?? 0)
    const options = JSON.parse(context.state.get('options') ?? '{}') as Record<string, string>
    const theirs = Number(options.ATTLOGStamp)
    return (
      Math.max(Number.isSafeInteger(ours) ? ours : 0, Number.isSafeInteger(theirs) ? theirs : 0) + 1
    )
  }

  async function reply(command: AdmsCommand, result: string): Promise<void> {
    await text({
      method: 'POST',
      path: '/iclock/devicecmd',
      params: { SN: sn },
      headers: { 'Content-Type': 'text/plain' },
      body: `ID=${command.id}&Return=${result}&CMD=${command.cmd}\n`,
    })
  }

  return {
    kind: 'zkteco-adms',
    name: NAME,
    maxBatch: MAX_BATCH,
    health: () => handshake(),
    async upload(batch) {
      const outcomes = new Map<string, UploadOutcome>()
      const lines: string[] = []
      for (const { punch } of batch) {
        const refusal = unsendablePin(punch.employeeId) ?? correctionRefusal(punch.correction?.kind)
        if (refusal) outcomes.set(punch.id, { id: punch.id, status: 'rejected', reason: refusal })
        else lines.push(attlogLine(punch, context.timeZone))
      }
      if (lines.length > 0) {
        if (!shaken) await handshake()
        const stamp = nextStamp()
        const answer = await text({
          method: 'POST',
          path: '/iclock/cdata',
          params: { SN: sn, table: 'ATTLOG', Stamp: String(stamp) },
          headers: { 'Content-Type': 'text/plain; charset=utf-8' },
          body: `${lines.join('\n')}\n`,
        })
        if (!isOk(answer)) {
          throw new CrmError('server', `${NAME} did not take the punches: ${said(answer)}`)
        }
        context.state.set('stamp.ATTLOG', String(stamp))
      }
      return batch.map(
        ({ punch }) => outcomes.get(punch.id) ?? { id: punch.id, status: 'created' as const },
      )
    },
    async heartbeat() {
      const answer = await text({ method: 'GET', path: '/iclock/getrequest', params: { SN: sn } })
      for (const command of readCommands(answer)) {
        // CHECK asks a terminal to fetch its options again, which the kiosk can do; it runs no
        // other command (user sync, reboot, …) and says so rather than pretend.
        if (command.cmd === 'CHECK') {
          await handshake()
          await reply(command, '0')
        } else {
          context.log.warn(`${NAME} sent command ${command.cmd}, which a kiosk cannot run`)
          await reply(command, UNSUPPORTED)
        }
      }
    },
  }
}

/** The server's words, short and printable, quoted. */
function said(body: string): string {
  return JSON.stringify(safeWords(body, [], 80) || '(empty)')
}

/**
 * A failed reply's CrmError. 401/403 hold the queue (terminal not allowed); a 404 means no
 * ADMS server at that address, which must not dead-letter punches either; other 4xx refuse
 * the request itself, which the uploader narrows down to one punch before dead-lettering it.
 */
function failure(res: HttpResponse): CrmError {
  const kind = res.status === 404 ? 'unavailable' : statusKind(res.status)
  const words = mediaType(res) === 'text/html' ? '' : res.data
  return statusError(res, NAME, words, kind)
}

/** ADMS only adds records: an amended or voided punch must be corrected on the server. */
function correctionRefusal(kind: string | undefined): string | undefined {
  if (kind !== 'amended' && kind !== 'voided') return undefined
  return `the ADMS protocol cannot ${kind === 'amended' ? 'amend' : 'void'} a punch: correct it by hand on the server`
}
