/**
 * What chalk's `#supports-color` import gives in the fast-path files
 * (dist/vendor/fast*.cjs; scripts/vendor.mjs puts it in place of chalk's
 * supports-color). dial decides colour itself (src/cli/output.ts: a TTY,
 * NO_COLOR, TERM=dumb, --no-color) and gives every Chalk it makes that
 * level, so the detection chalk runs when it loads (loading node:tty and
 * probing both streams) is work no command uses. Here nothing is detected:
 * chalk's own default instances, which dial never uses, have no colour.
 */
const noColorDetection: {stdout: false; stderr: false} = {stdout: false, stderr: false};
export default noColorDetection;
