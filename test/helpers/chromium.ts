// Debian's Chromium for the browser tests (never a browser a tool downloads), started headless
// with the flags this machine's closed network needs.
export const CHROMIUM = '/usr/bin/chromium'
export const INSTALL_HINT = 'Chromium not installed: apt-get install -y chromium'
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]
