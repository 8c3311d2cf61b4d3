/** The reference CRM's receipts: a device's punch ids by occurredAt, paged by an opaque cursor. */
import type { LedgerState } from './reference-store'

interface Receipt {
  at: number
  id: string
  receivedAt: string
}

/** One page as the contract answers it. */
export interface ReceiptsPage {
  receipts: { id: string; receivedAt: string }[]
  cursor?: string
  hasMore: boolean
}

// Punches are only ever added, so an index is current while the punch count is unchanged.
const indexes = new WeakMap<LedgerState, { size: number; byDevice: Map<string, Receipt[]> }>()

function index(state: LedgerState): Map<string, Receipt[]> {
  const cached = indexes.get(state)
  if (cached && cached.size === state.punches.size) return cached.byDevice
  const byDevice = new Map<string, Receipt[]>()
  for (const { punch, deviceId, receivedAt } of state.punches.values()) {
    let list = byDevice.get(deviceId)
    if (!list) byDevice.set(deviceId, (list = []))
    list.push({ at: Date.parse(punch.occurredAt), id: punch.id, receivedAt })
  }
  for (const list of byDevice.values()) list.sort(compare)
  indexes.set(state, { size: state.punches.size, byDevice })
  return byDevice
}

function compare(a: { at: number; id: string }, b: { at: number; id: string }): number {
  return a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** The first position in `list` after `key` (or at it, when `inclusive`). */
function seek(list: Receipt[], key: { at: number; id: string }, inclusive: boolean): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const order = compare(list[mid]!, key)
    if (order < 0 || (!inclusive && order === 0)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The page of `deviceId`'s receipts with occurredAt in [from, to) after `cursor`. */
export function receiptsPage(
  state: LedgerState,
  query: { deviceId: string; from: number; to: number; cursor: string | null; pageSize: number },
): ReceiptsPage {
  const list = index(state).get(query.deviceId) ?? []
  const after = readCursor(query.cursor)
  let start = seek(list, { at: query.from, id: '' }, true)
  if (after) start = Math.max(start, seek(list, after, false))
  const page: Receipt[] = []
  let i = start
  for (; i < list.length && list[i]!.at < query.to && page.length < query.pageSize; i++)
    page.push(list[i]!)
  const hasMore = i < list.length && list[i]!.at < query.to
  const last = page.at(-1)
  return {
    receipts: page.map(({ id, receivedAt }) => ({ id, receivedAt })),
    ...(hasMore && last ? { cursor: writeCursor(last) } : {}),
    hasMore,
  }
}

function writeCursor(last: Receipt): string {
  return Buffer.from(JSON.stringify({ v: 1, at: last.at, id: last.id })).toString('base64url')
}

// A cursor this server did not write starts the period over, as an absent one does.
function readCursor(cursor: string | null): { at: number; id: string } | undefined {
  if (cursor === null) return undefined
  try {
    const { v, at, id } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      v?: unknown
      at?: unknown
      id?: unknown
    }
    if (v === 1 && Number.isFinite(at) && typeof id === 'string') return { at: at as number, id }
  } catch {
    // fall through: start over
  }
  return undefined
}
