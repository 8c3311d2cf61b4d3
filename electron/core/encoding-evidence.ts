/**
 * The evidence `decodeCsv` weighs when bytes are not valid UTF-8 (or are, but read as
 * nonsense): does a GB18030 reading look like Chinese, and does another encoding read as well?
 */
import iconv from 'iconv-lite'

// Legacy encodings whose letters pair up into GB2312 characters. A file that reads as clean
// words of one of them is as likely that as Chinese.
const rivals = [
  { encoding: 'windows-1251', script: 'Cyrillic' },
  { encoding: 'windows-1253', script: 'Greek' },
  { encoding: 'windows-1255', script: 'Hebrew' },
  { encoding: 'windows-1256', script: 'Arabic' },
  { encoding: 'cp949', script: 'Hangul' },
].map(({ encoding, script }) => ({
  encoding,
  letter: new RegExp(`[\\p{Script=${script}}\\p{M}]`, 'u'),
}))

/** The legacy encoding other than GB18030 whose reading of BYTES is just as clean, if any. */
export function rivalReading(bytes: Uint8Array): string | undefined {
  return rivals.find(({ encoding, letter }) => {
    const text = iconv.decode(Buffer.from(bytes), encoding)
    return [...text].every((ch) => ch <= '\u007F' || letter.test(ch))
  })?.encoding
}

const chineseText = /^[\p{Script=Han}\u3000-\u303F\uFF01-\uFF5E\u00B7\u2014\u2026\u201C\u201D]$/u
const han = /\p{Script=Han}/u
const latinLetter = /[A-Za-z]/

/**
 * Whether text decoded as GB18030 reads as Chinese rather than as another 8-bit encoding
 * misread. Every non-ASCII character must be Chinese (a Windows-1252 "é" decodes to a rare Han
 * character or a kana, Big5 to kana and private-use characters); no Han character may touch a
 * Latin letter ("H閘鑞e" is "Hélène" misread); at least 60% of the Han characters must be in
 * GB2312 level 1 (the 3,755 most used) and 80% in GB2312, which real names are and Cyrillic,
 * Greek or Big5 misread are not; and at least four Han characters, since fewer prove nothing.
 */
export function chineseVerdict(text: string): 'plausible' | 'too little' | 'no' {
  let hanCount = 0
  let levelOne = 0
  let gb2312 = 0
  let previous = ''
  for (const ch of text) {
    if (ch > '\u007F') {
      if (!chineseText.test(ch)) return 'no'
      if (han.test(ch)) {
        if (latinLetter.test(previous)) return 'no'
        hanCount++
        const level = gb2312Level(ch)
        if (level === 1) levelOne++
        if (level > 0) gb2312++
      }
    } else if (latinLetter.test(ch) && han.test(previous)) {
      return 'no'
    }
    previous = ch
  }
  if (hanCount === 0 || levelOne < 0.6 * hanCount || gb2312 < 0.8 * hanCount) return 'no'
  return hanCount < 4 ? 'too little' : 'plausible'
}

/** 1 or 2 for a character in GB2312's first or second level of Han characters, else 0. */
function gb2312Level(ch: string): 0 | 1 | 2 {
  const code = iconv.encode(ch, 'gbk')
  if (code.length !== 2 || code[1]! < 0xa1) return 0
  if (code[0]! >= 0xb0 && code[0]! <= 0xd7) return 1
  return code[0]! >= 0xd8 && code[0]! <= 0xf7 ? 2 : 0
}

const scripts = ['Latin', 'Greek', 'Cyrillic', 'Armenian', 'Hebrew', 'Arabic'].map(
  (name) => new RegExp(`\\p{Script=${name}}`, 'u'),
)
const letterOrMark = /[\p{L}\p{M}]/u
const punctuation = /[\u00A0\u00B7\u2010-\u2027\u3000-\u303F\uFF00-\uFFEF]/u

/**
 * Whether valid UTF-8 reads as letters of real words. Short GBK text can be valid UTF-8 too
 * (张伟 is not, but 司徒一诺 reads as "˾ͽһŵ"): symbols, or one word mixing Greek, Cyrillic
 * and Latin letters, are what such a misreading looks like.
 */
export function plausibleLetters(text: string): boolean {
  for (const word of text.match(/[^\s,;\t"0-9]+/g) ?? []) {
    const seen = new Set<number>()
    for (const ch of word) {
      if (ch <= '\u007F') continue
      if (!letterOrMark.test(ch) && !punctuation.test(ch)) return false
      const script = scripts.findIndex((re) => re.test(ch))
      if (script >= 0) seen.add(script)
    }
    if (seen.size > 1) return false
  }
  return true
}
