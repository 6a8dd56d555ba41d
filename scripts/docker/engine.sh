#!/usr/bin/env bash
# A Docker engine for the tests. Uses one that already answers; otherwise, when this machine allows it
# (root, Debian's docker.io installed or installable), starts dockerd on a socket of its own with its
# image store cached between runs, so a locally built image survives to the next run.
#   engine.sh start ENVFILE   writes DOCKER_HOST=… (and ENGINE_PID=… when it started dockerd) to ENVFILE;
#                             exit 1 with the reason on stderr when no engine can run here
#   engine.sh stop ENVFILE    stops the dockerd that `start` started (by its pid), nothing else
set -uo pipefail

cache="${XDG_CACHE_HOME:-$HOME/.cache}/alembic-squash/docker"
# exec-root and socket live under /run: unix socket paths must stay short.
run_dir="/run/alembic-squash-docker"
socket="unix://$run_dir/docker.sock"

answers() { timeout 15 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start() {
  local envfile="$1"
  : >"$envfile"
  if command -v docker >/dev/null && answers; then
    echo "DOCKER_HOST=${DOCKER_HOST:-}" >>"$envfile"
    echo "docker engine: using the one that answers (${DOCKER_HOST:-default socket})" >&2
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "no Docker engine answers and starting one needs root" >&2; return 1
  fi
  if ! command -v dockerd >/dev/null; then
    echo "docker engine: installing Debian's docker.io" >&2
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null; }; then
      echo "no Docker engine answers and docker.io cannot be installed" >&2; return 1
    fi
  fi
  # The Debian package brings its own client; a newer one on PATH talks to it as well.
  command -v docker >/dev/null || { echo "no docker client" >&2; return 1; }
  export DOCKER_HOST="$socket"
  if answers; then # a dockerd of an earlier run that was not stopped (e.g. the runner was killed): ours, stopped at the end
    printf 'DOCKER_HOST=%s\nENGINE_PID=%s\n' "$DOCKER_HOST" "$(cat "$run_dir/dockerd.pid" 2>/dev/null)" >>"$envfile"
    echo "docker engine: reusing the one an earlier run left at $DOCKER_HOST" >&2
    return 0
  fi
  mkdir -p "$cache/data" "$run_dir"
  rm -f "$run_dir/docker.sock" "$run_dir/dockerd.pid"
  dockerd --host "$socket" --data-root "$cache/data" --exec-root "$run_dir/exec" --pidfile "$run_dir/dockerd.pid" \
    --storage-driver overlay2 --iptables=false --ip6tables=false --ip-masq=false \
    >"$run_dir/dockerd.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 150); do
    if answers; then
      printf 'DOCKER_HOST=%s\nENGINE_PID=%s\n' "$DOCKER_HOST" "$pid" >>"$envfile"
      echo "docker engine: started dockerd $(docker version --format '{{.Server.Version}}') (pid $pid) at $DOCKER_HOST" >&2
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill "$pid" 2>/dev/null
  echo "dockerd did not start: $(tail -n 3 "$run_dir/dockerd.log" | tr '\n' ' ')" >&2
  return 1
}

stop() {
  local envfile="$1" pid=""
  [ -f "$envfile" ] && pid=$(sed -n 's/^ENGINE_PID=//p' "$envfile")
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || { echo "docker engine: stopped dockerd (pid $pid)" >&2; return 0; }; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null
}

case "${1:-}" in
  start) start "${2:?engine.sh start ENVFILE}" ;;
  stop) stop "${2:?engine.sh stop ENVFILE}" ;;
  *) echo "usage: engine.sh start|stop ENVFILE" >&2; exit 2 ;;
esac
