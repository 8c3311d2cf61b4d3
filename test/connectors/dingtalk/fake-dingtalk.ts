/**
 * A fake DingTalk (oapi.dingtalk.com) built from its published docs: gettoken, the attendance
 * record upload and listRecord, answering HTTP 200 with errcode/errmsg as DingTalk does (auth
 * failures of topapi wrapped as errcode 88 with sub_code/sub_msg).
 */
import { randomUUID } from 'node:crypto'
import {
  issueToken,
  parseWallTime,
  PlatformFake,
  type FakeAnswer,
  type FakeRequest,
} from './platform-fake'

export interface DingtalkRecord {
  userId: string
  userCheckTime: number
  deviceId: string
  deviceName: string
}

const DAY_MS = 24 * 3600 * 1000

export class FakeDingtalk extends PlatformFake {
  readonly appKey = 'dingtestappkey01'
  readonly appSecret = 'dt-secret-Zx81kQ'
  readonly records: DingtalkRecord[] = []
  readonly users: Set<string>
  private token: string | undefined

  constructor(
    staff: readonly string[],
    /** The corp's zone: listRecord's wall times are read in it. */
    readonly zone = 'Asia/Shanghai',
    readonly now: () => number = Date.now,
  ) {
    super({})
    this.users = new Set(staff)
    Object.assign(this.routes, {
      'GET /gettoken': (req: FakeRequest) => this.gettoken(req),
      'POST /topapi/attendance/record/upload': (req: FakeRequest) => this.upload(req),
      'POST /attendance/listRecord': (req: FakeRequest) => this.listRecord(req),
    })
  }

  /** Every token issued so far stops working (as after its 7200 s). */
  expireTokens(): void {
    this.token = undefined
  }

  private gettoken(req: FakeRequest): FakeAnswer {
    if (req.query.get('appkey') !== this.appKey || req.query.get('appsecret') !== this.appSecret) {
      return { body: { errcode: 40096, errmsg: '不合法的appKey或appSecret' } }
    }
    // Within its validity DingTalk hands out the same token again.
    this.token ??= issueToken()
    return { body: { errcode: 0, access_token: this.token, errmsg: 'ok', expires_in: 7200 } }
  }

  private upload(req: FakeRequest): FakeAnswer {
    if (!this.tokenOk(req)) {
      return {
        body: {
          errcode: 88,
          sub_code: '40014',
          sub_msg: '不合法的access_token',
          errmsg: 'ding talk error[subcode=40014,submsg=不合法的access_token]',
          request_id: randomUUID().slice(0, 12),
        },
      }
    }
    const b = (req.body ?? {}) as Record<string, unknown>
    const { userid, device_name, device_id, user_check_time } = b
    if (
      typeof userid !== 'string' ||
      typeof device_name !== 'string' ||
      typeof device_id !== 'string' ||
      typeof user_check_time !== 'number' ||
      !Number.isInteger(user_check_time) ||
      this.now() - user_check_time > 180 * DAY_MS
    ) {
      return { body: { errcode: 40035, errmsg: '不合法的参数' } }
    }
    if (!this.users.has(userid)) return { body: { errcode: 33012, errmsg: '无效的USERID' } }
    this.records.push({
      userId: userid,
      userCheckTime: user_check_time,
      deviceId: device_id,
      deviceName: device_name,
    })
    return { body: { errcode: 0, success: true, request_id: randomUUID().slice(0, 12) } }
  }

  private listRecord(req: FakeRequest): FakeAnswer {
    if (!this.tokenOk(req)) return { body: { errcode: 40014, errmsg: '不合法的access_token' } }
    const b = (req.body ?? {}) as Record<string, unknown>
    const from = parseWallTime(String(b['checkDateFrom']), this.zone)
    const to = parseWallTime(String(b['checkDateTo']), this.zone)
    const ids = b['userIds']
    if (
      !Array.isArray(ids) ||
      ids.length === 0 ||
      ids.length > 50 ||
      !Number.isFinite(from) ||
      !Number.isFinite(to) ||
      to < from ||
      to - from > 7 * DAY_MS
    ) {
      return { body: { errcode: 40035, errmsg: '不合法的参数' } }
    }
    const recordresult = this.records
      .filter((r) => ids.includes(r.userId) && r.userCheckTime >= from && r.userCheckTime <= to)
      .map((r, i) => ({
        id: 260_000_000 + i,
        userId: r.userId,
        // The docs type it as a string, their example as a number: this fake sends a string.
        userCheckTime: String(r.userCheckTime),
        deviceId: r.deviceId,
        userAddress: r.deviceName,
        sourceType: 'ATM',
        isLegal: 'Y',
        corpId: 'dingfakecorp',
      }))
    return { body: { errcode: 0, errmsg: 'ok', recordresult } }
  }

  private tokenOk(req: FakeRequest): boolean {
    return this.token !== undefined && req.query.get('access_token') === this.token
  }
}
