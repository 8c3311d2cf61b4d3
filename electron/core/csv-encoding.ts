/**
 * Which text encoding a CSV file is in. Excel writes UTF-8 only when asked ("CSV UTF-8"); on
 * Chinese Windows its plain "CSV" is GBK and its "Unicode text" is UTF-16LE. A file is read in
 * the encoding it provably or very plausibly has, or refused: never read as the wrong one.
 */
import { readFileSync } from 'node:fs'
import iconv from 'iconv-lite'
import { chineseVerdict, plausibleLetters, rivalReading } from './encoding-evidence'

export interface DecodedCsv {
  text: string
  /** What the bytes were read as: 'UTF-8', 'UTF-16LE', 'UTF-16BE', 'GB18030' or the name given. */
  encoding: string
}

/** The file cannot be read as text in any encoding it plausibly has; nothing was read. */
export class CsvEncodingError extends Error {
  override name = 'CsvEncodingError'
}

const advice =
  'Accepted: UTF-8 (with or without BOM), UTF-16 with BOM (Excel "Unicode text") and ' +
  'Chinese GB18030/GBK. In Excel use "Save as" > "CSV UTF-8 (Comma delimited)", or name the ' +
  'encoding with --encoding (for example --encoding gb18030 or --encoding windows-1252).'

/** Reads FILE and decodes it as `decodeCsv` does; errors name the file. */
export function readCsvFile(file: string, encoding?: string): DecodedCsv {
  return decodeCsv(readFileSync(file), file, encoding)
}

/**
 * Decodes CSV bytes: the named encoding if given; else a BOM decides; else NUL bytes mean
 * UTF-16; else valid UTF-8 is UTF-8; else GB18030 only if the result is plausible Chinese text.
 * Throws CsvEncodingError, naming SOURCE, for anything else.
 */
export function decodeCsv(bytes: Uint8Array, source: string, encoding?: string): DecodedCsv {
  if (encoding !== undefined) return decodeAs(bytes, source, encoding)
  const bom = byteOrderMark(bytes)
  if (bom) return strict(bytes.subarray(bom.length), source, bom.encoding)
  if (bytes.includes(0)) return decodeUtf16WithoutBom(bytes, source)
  const utf8 = tryDecode(bytes, 'utf-8')
  const gb = iconv.decode(Buffer.from(bytes), 'gb18030')
  const asChinese = gb.includes('\uFFFD') ? 'no' : chineseVerdict(gb)
  if (
    utf8 !== undefined &&
    (asChinese === 'no' || utf8.includes('\uFFFD') || plausibleLetters(utf8))
  ) {
    return checked(utf8, source, 'UTF-8')
  }
  const rival = asChinese === 'plausible' ? rivalReading(bytes) : undefined
  if (asChinese === 'plausible' && !rival) return checked(gb, source, 'GB18030')
  const why = rival
    ? `reads as Chinese GB18030/GBK text but just as well as ${rival}`
    : asChinese === 'too little'
      ? 'may be Chinese GB18030/GBK text, but holds too little of it to be sure'
      : 'is not UTF-8 and does not read clearly as Chinese GB18030/GBK text'
  throw new CsvEncodingError(`${source} ${why}, so its encoding cannot be told. ${advice}`)
}

function byteOrderMark(bytes: Uint8Array): { length: number; encoding: string } | undefined {
  const [a, b, c, d] = bytes
  if (a === 0xef && b === 0xbb && c === 0xbf) return { length: 3, encoding: 'UTF-8' }
  if (a === 0xff && b === 0xfe) return { length: 2, encoding: 'UTF-16LE' }
  if (a === 0xfe && b === 0xff) return { length: 2, encoding: 'UTF-16BE' }
  if (a === 0x84 && b === 0x31 && c === 0x95 && d === 0x33)
    return { length: 4, encoding: 'GB18030' }
  return undefined
}

// UTF-8 and GBK text never holds a NUL byte; UTF-16 holds one beside every ASCII character.
// Read the wrong way round, a UTF-16 file loses every comma, tab and line break, which tells
// the two byte orders apart.
function decodeUtf16WithoutBom(bytes: Uint8Array, source: string): DecodedCsv {
  const readings: DecodedCsv[] = []
  for (const encoding of ['UTF-16LE', 'UTF-16BE']) {
    const text = tryDecode(bytes, encoding)
    if (text !== undefined && !text.includes('\0') && /[,\t\r\n]/.test(text)) {
      readings.push({ text, encoding })
    }
  }
  if (readings.length !== 1) {
    throw new CsvEncodingError(
      `${source} holds NUL bytes but is not UTF-16 text: it is not a CSV file. ${advice}`,
    )
  }
  return checked(readings[0]!.text, source, readings[0]!.encoding)
}

function decodeAs(bytes: Uint8Array, source: string, encoding: string): DecodedCsv {
  if (!iconv.encodingExists(encoding)) {
    throw new CsvEncodingError(`unknown encoding "${encoding}" (try utf-8, gb18030, utf-16le)`)
  }
  const bom = byteOrderMark(bytes)
  if (bom && !encodingKey(bom.encoding).startsWith(encodingKey(encoding))) {
    throw new CsvEncodingError(
      `${source} starts with a ${bom.encoding} byte-order mark, not ${encoding}: leave out --encoding`,
    )
  }
  return bom
    ? strict(bytes.subarray(bom.length), source, bom.encoding)
    : strict(bytes, source, encoding)
}

function strict(bytes: Uint8Array, source: string, encoding: string): DecodedCsv {
  const utf = /^utf-?(8|16le|16be)$/i.exec(encoding)
  const text = utf
    ? tryDecode(bytes, `utf-${utf[1]!.toLowerCase()}`)
    : iconv.decode(Buffer.from(bytes), encoding, { stripBOM: false })
  if (text === undefined || text.includes('\uFFFD')) {
    throw new CsvEncodingError(`${source} is not valid ${encoding} text. ${advice}`)
  }
  return checked(text, source, encoding)
}

// A replacement character or NUL inside otherwise valid text means an earlier tool already
// garbled it; importing it would keep the garbage.
function checked(text: string, source: string, encoding: string): DecodedCsv {
  // "锟斤拷" is what replacement characters become once written out as GBK.
  if (/[\uFFFD\0]|锟斤拷/.test(text)) {
    throw new CsvEncodingError(
      `${source} holds "\uFFFD" or NUL characters: it was damaged by an earlier conversion. ${advice}`,
    )
  }
  return { text, encoding }
}

function tryDecode(bytes: Uint8Array, encoding: string): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    return undefined
  }
}

function encodingKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '')
}
