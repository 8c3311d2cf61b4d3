/**
 * A fake WeCom (qyapi.weixin.qq.com) built from its published docs: gettoken, add_checkin_record
 * (up to 200 records, all or nothing) and getcheckindata (100 people, 30 days), answering HTTP
 * 200 with errcode/errmsg and WeCom's English errmsg with its hint and "more info" link.
 */
import { randomBytes } from 'node:crypto'
import {
  issueToken,
  PlatformFake,
  type FakeAnswer,
  type FakeRequest,
} from '../dingtalk/platform-fake'

export interface WecomRecord {
  userid: string
  checkin_time: number
  location_title: string
  device_type: number
  device_detail: string
  notes: string
}

const error = (errcode: number, text: string): FakeAnswer => ({
  body: {
    errcode,
    errmsg: `${text}, hint: [${Date.now()}${randomBytes(4).toString('hex')}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`,
  },
})

export class FakeWecom extends PlatformFake {
  readonly corpId = 'ww5f3c2a1b0e9d8c7b'
  readonly corpSecret = 'wc-secret-Qm29xVt0'
  readonly records: WecomRecord[] = []
  readonly users: Set<string>
  private token: string | undefined
  private readonly expired = new Set<string>()

  constructor(staff: readonly string[]) {
    super()
    this.users = new Set(staff)
    Object.assign(this.routes, {
      'GET /cgi-bin/gettoken': (req: FakeRequest) => this.gettoken(req),
      'POST /cgi-bin/checkin/add_checkin_record': (req: FakeRequest) => this.add(req),
      'POST /cgi-bin/checkin/getcheckindata': (req: FakeRequest) => this.query(req),
    })
  }

  /** The current token stops working, as after its 7200 s. */
  expireTokens(): void {
    if (this.token) this.expired.add(this.token)
    this.token = undefined
  }

  private gettoken(req: FakeRequest): FakeAnswer {
    if (req.query.get('corpid') !== this.corpId) return error(40013, 'invalid corpid')
    if (req.query.get('corpsecret') !== this.corpSecret) return error(40001, 'invalid credential')
    this.token ??= issueToken()
    return { body: { errcode: 0, errmsg: 'ok', access_token: this.token, expires_in: 7200 } }
  }

  private tokenError(req: FakeRequest): FakeAnswer | undefined {
    const token = req.query.get('access_token')
    if (!token) return error(41001, 'access_token missing')
    if (this.expired.has(token)) return error(42001, 'access_token expired')
    if (token !== this.token) return error(40014, 'invalid access_token')
    return undefined
  }

  private add(req: FakeRequest): FakeAnswer {
    const refused = this.tokenError(req)
    if (refused) return refused
    const records = (req.body as { records?: unknown } | undefined)?.records
    if (!Array.isArray(records) || records.length === 0 || records.length > 200) {
      return error(40058, 'invalid Request Parameter')
    }
    for (const r of records as Record<string, unknown>[]) {
      const detail = r['device_detail']
      if (
        typeof r['userid'] !== 'string' ||
        !Number.isInteger(r['checkin_time']) ||
        typeof r['location_title'] !== 'string' ||
        ![1, 2, 3].includes(r['device_type'] as number) ||
        typeof detail !== 'string' ||
        detail.length > 40
      ) {
        return error(40058, 'invalid Request Parameter')
      }
      if (!this.users.has(r['userid'])) return error(60111, `userid not found`)
    }
    for (const r of records as Record<string, unknown>[]) {
      this.records.push({
        userid: r['userid'] as string,
        checkin_time: r['checkin_time'] as number,
        location_title: r['location_title'] as string,
        device_type: r['device_type'] as number,
        device_detail: r['device_detail'] as string,
        notes: String(r['notes'] ?? ''),
      })
    }
    return { body: { errcode: 0, errmsg: 'ok' } }
  }

  private query(req: FakeRequest): FakeAnswer {
    const refused = this.tokenError(req)
    if (refused) return refused
    const b = (req.body ?? {}) as Record<string, unknown>
    const users = b['useridlist']
    const start = b['starttime']
    const end = b['endtime']
    if (!Array.isArray(users) || users.length > 100)
      return error(301023, 'userlist is over threshold')
    if (typeof start !== 'number' || typeof end !== 'number' || end < start) {
      return error(40058, 'invalid Request Parameter')
    }
    if (end - start > 30 * 24 * 3600) return error(301024, 'time range is over threshold')
    const checkindata = this.records
      .filter((r) => users.includes(r.userid) && r.checkin_time >= start && r.checkin_time <= end)
      .map((r) => ({
        userid: r.userid,
        groupname: '打卡规则1',
        checkin_type: '上班打卡',
        exception_type: '',
        checkin_time: r.checkin_time,
        location_title: r.location_title,
        location_detail: r.location_title,
        wifiname: '',
        notes: r.notes,
        wifimac: '',
        mediaids: [],
        deviceid: '',
      }))
    // A "no check-in" row at the schedule's time, as WeCom lists for a missed duty.
    for (const user of users) {
      checkindata.push({
        userid: String(user),
        groupname: '打卡规则1',
        checkin_type: '下班打卡',
        exception_type: '未打卡',
        checkin_time: start + 1,
        location_title: '',
        location_detail: '',
        wifiname: '',
        notes: '',
        wifimac: '',
        mediaids: [],
        deviceid: '',
      })
    }
    return { body: { errcode: 0, errmsg: 'ok', checkindata } }
  }
}
