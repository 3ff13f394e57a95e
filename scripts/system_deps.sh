#!/usr/bin/env bash
# Debian packages the tests and `make serve` need, installed when missing (one list, used by
# `make test`, `make serve` and .ci/run):
#   chromium, fonts-wqy-microhei  browser tests, screenshots and PNG export (CJK text)
#   nginx-light                   the production stack (make serve) and its tests
#   postgresql, postgis           `innovation-map publish` and its tests (a private server)
# As root it installs them with apt; otherwise it says what to install and fails.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" || missing+=(fonts-wqy-microhei)
command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || missing+=(nginx-light)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || missing+=(postgis)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} (apt)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Install first: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
