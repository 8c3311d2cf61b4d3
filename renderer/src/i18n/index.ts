/** A tiny translator: message tables per language, `{name}` placeholders, no library. */
import { computed } from 'vue'
import type { Language } from '../../../electron/shared/types'
import { useKioskStore } from '../stores/kiosk'
import { en, type MessageKey, type Messages } from './en'
import { zhCN } from './zh-cn'

export type { MessageKey, Messages }
export type MessageParams = Record<string, string | number>

/** Every language the kiosk speaks, with its complete table. */
export const messageTables: Record<Language, Messages> = { en, 'zh-CN': zhCN }

/** The text for `key` in `language`, with `{placeholders}` filled from `params`. */
export function translate(language: Language, key: MessageKey, params?: MessageParams): string {
  const template = messageTables[language][key]
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params && name in params ? String(params[name]) : whole,
  )
}

/** `t()` bound to the kiosk's language; re-renders when the language changes. */
export function useI18n() {
  const kiosk = useKioskStore()
  const language = computed(() => kiosk.language)
  const t = (key: MessageKey, params?: MessageParams) => translate(kiosk.language, key, params)
  return { t, language }
}
