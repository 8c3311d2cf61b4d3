import { describe, expect, it } from 'vitest'
import { messageTables, translate } from '../../renderer/src/i18n'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('message tables', () => {
  const [english, ...others] = Object.entries(messageTables)

  it('give every language exactly the same keys', () => {
    const keys = Object.keys(english![1]).sort()
    for (const [, table] of others) expect(Object.keys(table).sort()).toEqual(keys)
  })

  it('use the same placeholders in every language and leave no text empty', () => {
    for (const [key, text] of Object.entries(english![1])) {
      for (const [language, table] of others) {
        const translated = table[key as keyof typeof table]
        expect(translated.trim(), `${language} ${key}`).not.toBe('')
        expect(placeholders(translated), `${language} ${key}`).toEqual(placeholders(text))
      }
    }
  })

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'greeting.checkedIn', { time: '08:57' })).toBe('Checked in 08:57')
    expect(translate('zh-CN', 'greeting.checkedIn', { time: '08:57' })).toBe('08:57 签到成功')
    expect(translate('en', 'sync.waiting')).toBe('{count} waiting to upload')
  })
})
