#!/usr/bin/env bash
# Installs the tools the PDF work needs: LibreOffice (headless Writer, to render corpus
# papers to PDF with `cargo xtask render-pdfs`) and poppler-utils (`pdftotext`, the
# baseline of `cargo xtask bench pdf`). Idempotent and non-interactive: safe in CI and
# safe to run twice. Tests never need these tools; the rendered PDFs are committed.
set -euo pipefail

packages=(libreoffice-writer-nogui poppler-utils)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-pdf-tools: already installed: ${packages[*]}"
    exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo -n)
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-pdf-tools: installed ${missing[*]}"
