/** Headless Debian chromium for the report's browser test and `screenshot-report` (through playwright-core). */
export const CHROMIUM = "/usr/bin/chromium";
/** No sandbox (CI runs as root), no GPU, and nothing that reaches the network. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
