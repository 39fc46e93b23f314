#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests need from Debian packages when it is missing:
# PostgreSQL (the storage tests start a private server on 127.0.0.1), dovecot-core (doveadm makes
# fresh legacy hash vectors) and chromium (the web tests drive /usr/bin/chromium with Playwright; never
# `playwright install`). Pass extra arguments to `dotnet test`, e.g. --filter.
set -euo pipefail
cd "$(dirname "$0")/.."

needed=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || command -v initdb >/dev/null || needed+=(postgresql)
command -v doveadm >/dev/null || needed+=(dovecot-core)
[ -x /usr/bin/chromium ] || needed+=(chromium)
if [ ${#needed[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing test dependencies: ${needed[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
fi

exec dotnet test Mailstead.slnx --logger "console;verbosity=normal" "$@"
