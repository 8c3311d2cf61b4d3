/** Where a machine-wide install keeps its config and data, per operating system. */
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Machine-wide config file: one per PC, written by IT, read by every user's kiosk. */
export function defaultConfigPath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32') {
    return join(env.ProgramData || 'C:\\ProgramData', 'Clockface', 'config.json')
  }
  if (platform === 'darwin') return '/Library/Application Support/Clockface/config.json'
  return '/etc/clockface/config.json'
}

/** Default data folder (punch store); CLOCKFACE_DATA_DIR or the `dataDir` key override it. */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32') {
    return join(env.ProgramData || 'C:\\ProgramData', 'Clockface', 'data')
  }
  if (platform === 'darwin') {
    return join(env.HOME || homedir(), 'Library', 'Application Support', 'Clockface')
  }
  return join(env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share'), 'clockface')
}
