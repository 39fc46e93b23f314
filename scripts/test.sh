#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests need from Debian packages when it is missing:
# PostgreSQL (the storage tests start a private server on 127.0.0.1), dovecot-core (doveadm makes
# fresh legacy hash vectors) and chromium (the web tests drive /usr/bin/chromium with Playwright; never
# `playwright install`), and the mail clients the end-to-end tests drive: python3 (imaplib, poplib, smtplib),
# curl, and Node's imapflow and nodemailer (from npm, pinned by tests/Mailstead.Tests/node/package-lock.json);
# and iproute2's ss, with which tests see which process listens on a port.
# Pass extra arguments to `dotnet test`, e.g. --filter.
set -euo pipefail
cd "$(dirname "$0")/.."

needed=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || command -v initdb >/dev/null || needed+=(postgresql)
command -v doveadm >/dev/null || needed+=(dovecot-core)
[ -x /usr/bin/chromium ] || needed+=(chromium)
command -v python3 >/dev/null || needed+=(python3)
command -v curl >/dev/null || needed+=(curl)
command -v npm >/dev/null || needed+=(nodejs npm)
command -v ss >/dev/null || needed+=(iproute2)
if [ ${#needed[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing test dependencies: ${needed[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
fi

clients=tests/Mailstead.Tests/node
if [ ! -d "$clients/node_modules/imapflow" ] || [ "$clients/package-lock.json" -nt "$clients/node_modules/.package-lock.json" ]; then
  echo "Installing the Node mail clients (imapflow, nodemailer) from npm"
  npm ci --prefix "$clients" --no-audit --no-fund --loglevel=error
fi

# The failures are repeated at the end, where a reader of a long log (or of its last lines only) looks first.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Mailstead.slnx --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  echo
  echo "==== dotnet test exited with $status; what failed ===="
  grep -E -A 25 '^\s+Failed [A-Za-z_.]' "$log" | head -400
  grep -E 'error [A-Z]+[0-9]+:|aborted|crashed|Test Run Failed|Total tests|Failed:' "$log" | head -100
fi
exit "$status"
