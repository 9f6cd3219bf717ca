#!/usr/bin/env bash
# Installs the Debian 12 packages vanban needs to build (and, with --test, to
# run its test suite). Does nothing when everything is already installed.
set -euo pipefail
pkgs=(build-essential cmake pkg-config libpodofo-dev libdeflate-dev libxlsxwriter-dev libcli11-dev doctest-dev
      nlohmann-json3-dev libutf8proc-dev libfreetype-dev libssl-dev zlib1g-dev libzip-dev libpugixml-dev
      libcpp-httplib-dev libpng-dev gettext)
if [[ "${1:-}" == "--test" ]]; then
  pkgs+=(clang libclang-rt-14-dev python3 poppler-utils qpdf unzip libreoffice-calc-nogui libreoffice-writer-nogui python3-docx
        libjs-pdf libjs-codemirror chromium chromium-driver python3-selenium python3-jsonschema nginx systemd)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
