#!/bin/sh
# Entry point of the OrleansDynamo image: starts the server with the arguments the container was given.
#
# The one thing it adds: ODYN_ADVERTISEADDRESS=auto (the image's default) becomes this container's own IP address,
# the address other silos reach it at. The server needs a literal IP there (--advertise-address), and in Docker
# Compose or Azure Container Apps nothing hands one to the container. Kubernetes does (status.podIP): set
# ODYN_ADVERTISEADDRESS to it and this script leaves it alone, as it does any explicit address. A command-line
# --advertise-address wins over both.
set -eu

first_address() {
  # hostname -I lists the addresses of every interface but loopback; the first is the one to advertise.
  if command -v hostname >/dev/null 2>&1; then
    # shellcheck disable=SC2046 # split the list into words on purpose
    set -- $(hostname -I 2>/dev/null || true)
    if [ $# -gt 0 ]; then
      echo "$1"
      return 0
    fi
  fi
  # Without hostname -I: what this container's own name resolves to (Docker writes it into /etc/hosts).
  getent ahostsv4 "$(cat /etc/hostname)" 2>/dev/null | awk 'NR == 1 { print $1 }'
}

if [ "${ODYN_ADVERTISEADDRESS:-}" = auto ]; then
  address=$(first_address)
  if [ -z "$address" ]; then
    echo "entrypoint: cannot find this container's IP address; set ODYN_ADVERTISEADDRESS or --advertise-address" >&2
    exit 2
  fi
  ODYN_ADVERTISEADDRESS=$address
  export ODYN_ADVERTISEADDRESS
fi

# exec: the server replaces this shell as PID 1, so the SIGTERM of `docker stop` reaches it and it hands its
# partitions over before it exits.
exec dotnet /app/OrleansDynamo.Server.dll "$@"
