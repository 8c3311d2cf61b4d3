/** The config rules for kinds "zkteco-adms" and "frappe", through the whole config file's check. */
import { describe, expect, it } from 'vitest'
import { createConnector } from '../../../electron/core/connectors/index'
import { parseConfig } from '../../../electron/core/config/config'
import { contextFor } from '../frappe/punches'

const adms = (url: string, keys: Record<string, unknown> = {}) =>
  parseConfig({ crm: { kind: 'zkteco-adms', url, zktecoAdms: keys } })

describe('crm.zktecoAdms and plain http', () => {
  it('refuses plain http off this machine unless the ADMS kind opts in', () => {
    expect(() => adms('http://10.0.0.5:8081')).toThrow(
      /"crm.url" must be an https URL.*set "crm.zktecoAdms.allowPlainHttp" to true/,
    )
    expect(adms('http://10.0.0.5:8081', { allowPlainHttp: true }).crm.url).toBe(
      'http://10.0.0.5:8081',
    )
    expect(adms('https://adms.example.com').crm.zktecoAdms).toEqual({
      serialNumber: null,
      allowPlainHttp: false,
    })
  })

  it('never lets the opt-in loosen another kind, nor credentials into a URL', () => {
    const frappe = {
      kind: 'frappe',
      url: 'http://10.0.0.5',
      frappe: { apiKey: 'k', apiSecret: 's' },
      zktecoAdms: { allowPlainHttp: true },
    }
    expect(() => parseConfig({ crm: frappe })).toThrow(/"crm.url" must be an https URL/)
    expect(() =>
      parseConfig({ crm: { url: 'http://10.0.0.5', deviceToken: 'device-token-1' } }),
    ).toThrow(/"crm.url" must be an https URL/)
    expect(() => adms('http://user:pw@10.0.0.5', { allowPlainHttp: true })).toThrow(
      /"crm.url" must be an https URL/,
    )
    expect(() => adms('http://user:pw@10.0.0.5', { allowPlainHttp: true })).not.toThrow(/pw/)
  })

  it('checks the serial number and the Frappe keys', () => {
    expect(() => adms('https://adms.example.com', { serialNumber: 'A B' })).toThrow(
      /"crm.zktecoAdms.serialNumber" must be a serial number/,
    )
    expect(() => parseConfig({ crm: { kind: 'frappe', url: 'https://hr.example.com' } })).toThrow(
      /"crm.kind" "frappe" needs "crm.frappe.apiKey"/,
    )
    expect(() =>
      parseConfig({
        crm: {
          kind: 'frappe',
          url: 'https://hr.example.com',
          frappe: { apiKey: 'k', apiSecret: 's', latitude: 52.5 },
        },
      }),
    ).toThrow(/"crm.frappe.latitude" and "crm.frappe.longitude" must be set together/)
  })

  it('builds each connector from its kind', () => {
    const context = contextFor('Europe/Berlin')
    const frappe = parseConfig({
      crm: {
        kind: 'frappe',
        url: 'https://hr.example.com',
        frappe: { apiKey: 'k', apiSecret: 's' },
      },
    })
    expect(createConnector(frappe.crm, context)).toMatchObject({
      kind: 'frappe',
      name: 'Frappe HR',
    })
    const zk = adms('http://10.0.0.5', { allowPlainHttp: true })
    expect(createConnector(zk.crm, context)).toMatchObject({ kind: 'zkteco-adms', maxBatch: 500 })
  })
})
