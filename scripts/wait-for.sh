# Sourced by scripts/services.sh and scripts/cluster.sh (each defines its own `die`).
# wait_for SECONDS DESCRIPTION COMMAND...: until COMMAND succeeds, or die after SECONDS.
wait_for() {
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 $((seconds * 4))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  die "$what did not answer within ${seconds}s"
}
