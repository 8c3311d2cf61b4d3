/**
 * The process split of DESIGN.md, checked on every `npm test`: no import cycles, and no import
 * across a boundary the design forbids. `npm run boundaries` runs it alone.
 */
const { join } = require('node:path') // eslint-disable-line @typescript-eslint/no-require-imports

const nodeBuiltins = { dependencyTypes: ['core'] }

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules that import each other in a circle cannot be understood or cut apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'renderer-knows-only-the-contract',
      severity: 'error',
      comment:
        'The screen compiles against electron/shared only (no core, main, Node or Electron).',
      from: { path: '^renderer/' },
      to: { path: '^electron/(core|main|preload|host|cli)/' },
    },
    {
      name: 'renderer-no-node-or-electron',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { ...nodeBuiltins },
    },
    {
      name: 'renderer-no-electron',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron$|node_modules/electron/' },
    },
    {
      name: 'shared-stands-alone',
      severity: 'error',
      comment:
        'electron/shared is compiled into main, preload and renderer: no Node, DOM-only or Electron code, no core.',
      from: { path: '^electron/shared/' },
      to: {
        path: '^electron/(core|main|preload|host|cli)/|^renderer/|^electron$|node_modules/electron/',
      },
    },
    {
      name: 'shared-no-node',
      severity: 'error',
      from: { path: '^electron/shared/' },
      to: { ...nodeBuiltins },
    },
    {
      name: 'core-without-electron',
      severity: 'error',
      comment: 'Core runs in plain Node: OS services come in as interfaces, never from electron.',
      from: { path: '^electron/core/' },
      to: {
        path: '^electron$|node_modules/electron/|^electron/(main|preload|host|cli)/|^renderer/',
      },
    },
    {
      name: 'core-never-imports-its-root',
      severity: 'error',
      comment: 'kiosk.ts wires the domains; nothing in core imports it back.',
      from: { path: '^electron/core/', pathNot: '^electron/core/kiosk\\.ts$' },
      to: { path: '^electron/core/kiosk\\.ts$' },
    },
    {
      name: 'preload-only-the-contract',
      severity: 'error',
      comment: 'The sandboxed preload builds the bridge from the contract and nothing else.',
      from: { path: '^electron/preload/' },
      to: { path: '^electron/(core|main|host|cli)/|^renderer/' },
    },
    {
      name: 'main-not-host-or-cli',
      severity: 'error',
      from: { path: '^electron/main/' },
      to: { path: '^electron/(host|cli|preload)/|^renderer/' },
    },
    {
      name: 'host-and-cli-not-electron',
      severity: 'error',
      comment: 'The browser host and the CLI run where Electron cannot.',
      from: { path: '^electron/(host|cli)/' },
      to: { path: '^electron$|node_modules/electron/|^electron/(main|preload)/|^renderer/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: join(__dirname, 'tsconfig.node.json') },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.js', '.vue', '.json'],
    },
  },
}
