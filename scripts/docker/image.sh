#!/usr/bin/env bash
# Makes each image NAME given exist on the Docker engine at $DOCKER_HOST: already there → nothing;
# a registry answers → pulled; else a PostgreSQL 15 image is built from Debian packages (debootstrap,
# no registry needed) once and tagged with every NAME. The engine's image store is the cache.
#   image.sh NAME...      exit 1 with the reason on stderr when an image can be neither pulled nor built
set -uo pipefail
cd "$(dirname "$0")"
[ $# -gt 0 ] || { echo "usage: image.sh NAME..." >&2; exit 2; }

# The build recipe's digest names the image: a changed recipe builds anew on the next run.
recipe=$(cat image.sh entrypoint.sh | sha256sum | cut -c1-12)
built="alembic-squash/postgres:15-debian-$recipe"
have() { docker image inspect "$1" >/dev/null 2>&1; }
# A name is usable when it is not one we built, or one we built with this recipe.
current() {
  local label
  label=$(docker image inspect --format '{{index .Config.Labels "alembic-squash.recipe"}}' "$1" 2>/dev/null) || return 1
  [ -z "$label" ] || [ "$label" = '<no value>' ] || [ "$label" = "$recipe" ]
}

missing=()
for name in "$@"; do current "$name" || missing+=("$name"); done
[ ${#missing[@]} -eq 0 ] && { echo "docker images: present ($*)" >&2; exit 0; }

if ! have "$built"; then
  # One try at a registry: when the first image pulls, the others will too.
  if timeout 120 docker pull -q "${missing[0]}" >/dev/null 2>&1; then
    for name in "${missing[@]:1}"; do timeout 300 docker pull -q "$name" >/dev/null || exit 1; done
    echo "docker images: pulled ${missing[*]}" >&2
    exit 0
  fi
  echo "docker images: no registry answers; building $built from Debian packages (once, ≈ 1.5 min)" >&2
  [ "$(id -u)" -eq 0 ] || { echo "building the image needs root (debootstrap, chroot)" >&2; exit 1; }
  if ! command -v debootstrap >/dev/null; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; } \
      || { echo "debootstrap cannot be installed" >&2; exit 1; }
  fi
  # The mirror apt already uses on this machine.
  mirror=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
  mirror="${mirror:-http://deb.debian.org/debian}"
  rootfs=$(mktemp -d "${TMPDIR:-/var/tmp}/alembic-squash-rootfs-XXXXXX")
  context=$(mktemp -d "${TMPDIR:-/var/tmp}/alembic-squash-image-XXXXXX")
  trap 'umount "$rootfs/proc" 2>/dev/null; rm -rf "$rootfs" "$context"' EXIT
  trap 'exit 130' INT TERM
  set -e
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$context/debootstrap.log" 2>&1 \
    || { tail -n 5 "$context/debootstrap.log" >&2; exit 1; }
  # No cluster at install time (the entry point makes one), no services started in the chroot, and the
  # postgres user with the official image's uid/gid.
  mkdir -p "$rootfs/etc/postgresql-common/createcluster.d"
  echo 'create_main_cluster = false' >"$rootfs/etc/postgresql-common/createcluster.d/no-main-cluster.conf"
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d" && chmod +x "$rootfs/usr/sbin/policy-rc.d"
  chroot "$rootfs" groupadd -r -g 999 postgres
  chroot "$rootfs" useradd -r -u 999 -g 999 -d /var/lib/postgresql -s /bin/bash postgres
  mount -t proc proc "$rootfs/proc"
  chroot "$rootfs" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-contrib locales gosu' \
    >"$context/apt.log" 2>&1 || { tail -n 5 "$context/apt.log" >&2; exit 1; }
  umount "$rootfs/proc"
  echo 'en_US.UTF-8 UTF-8' >"$rootfs/etc/locale.gen"
  chroot "$rootfs" locale-gen >/dev/null
  chroot "$rootfs" sh -c 'apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin'
  rm -f "$rootfs/usr/sbin/policy-rc.d"
  install -m 0755 entrypoint.sh "$rootfs/usr/local/bin/docker-entrypoint.sh"
  mkdir -p "$rootfs/var/lib/postgresql/data" && chown -R 999:999 "$rootfs/var/lib/postgresql"
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV PGDATA=/var/lib/postgresql/data' --change 'ENV LANG=en_US.utf8' \
    --change 'VOLUME /var/lib/postgresql/data' --change 'EXPOSE 5432' \
    --change 'ENTRYPOINT ["docker-entrypoint.sh"]' --change 'CMD ["postgres"]' \
    - "$built.import" >/dev/null
  # dockerd 20.10 refuses STOPSIGNAL on import; a one-line build adds it (PostgreSQL's fast shutdown).
  printf 'FROM %s\nSTOPSIGNAL SIGINT\nLABEL alembic-squash.recipe=%s\n' "$built.import" "$recipe" >"$context/Dockerfile"
  DOCKER_BUILDKIT=0 docker build -q -t "$built" "$context" >/dev/null 2>"$context/build.log" \
    || { tail -n 5 "$context/build.log" >&2; exit 1; }
  docker rmi "$built.import" >/dev/null
  set +e
fi
for name in "${missing[@]}"; do docker tag "$built" "$name" || exit 1; done
# Images of earlier recipes: untagged (freed unless another name still points at one).
for old in $(docker images --format '{{.Repository}}:{{.Tag}}' alembic-squash/postgres); do
  [ "$old" = "$built" ] || docker rmi "$old" >/dev/null 2>&1 || true
done
echo "docker images: ${missing[*]} → $built (PostgreSQL 15 from Debian packages)" >&2
