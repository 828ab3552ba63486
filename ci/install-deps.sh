#!/usr/bin/env bash
# Installs what heatbed needs on a fresh Debian machine, only when it is missing:
# etcd (server for the embedded backend, etcdctl for the example external workers), curl (the
# example shell workers talk to the fake Heat with it), protoc (etcd-client's build needs
# it), python3-venv (the tests' Python venvs) and chromium (tests/html_report.rs opens the HTML
# report headless). Safe to run again.
set -euo pipefail

missing=()
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# The client and Heat-engine venvs of tests/heat_clients.rs and tests/heat_oracle/.
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
