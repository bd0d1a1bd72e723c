#!/usr/bin/env bash
# Install what the app needs on a fresh Debian machine (run as root): system
# libraries for WeasyPrint, Noto CJK fonts, poppler, Chromium for browser tests,
# then a virtualenv in .venv with the Python packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0   # WeasyPrint
  fonts-noto-cjk                                          # Chinese glyphs in PDFs and charts
  fonts-liberation2                                       # Latin letters and digits with Times New Roman's metrics (PDF, LibreOffice)
  poppler-utils                                           # pdftotext / pdftoppm / pdffonts
  chromium                                                # browser tests (Playwright drives it)
)
if [ "${WITH_POSTGRES:-0}" = "1" ]; then
  APT_PACKAGES+=(postgresql)
fi
if [ "${WITH_LIBREOFFICE:-0}" = "1" ]; then
  APT_PACKAGES+=(libreoffice-writer-nogui)              # tests: the DOCX opens and converts, its contents and pages
fi

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> creating virtualenv .venv"
  "$PYTHON" -m venv .venv
fi
echo "==> pip install"
.venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
