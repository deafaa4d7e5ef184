#!/usr/bin/env bash
# Turns a report workbook or Word report into a PDF and one PNG per page, so that a person can look at the
# printed pages:
#   npm run report:preview -- [reports/demo.xlsx | reports/demo.docx] [output folder]
# (defaults: reports/demo.xlsx, reports/preview/). Installs LibreOffice (Calc or Writer), poppler-utils
# (pdftoppm), the Liberation fonts (metric-compatible with Times New Roman) and Carlito (with Calibri's widths)
# from Debian packages when they are missing.
set -euo pipefail

in="${1:-reports/demo.xlsx}"
outdir="${2:-reports/preview}"
if [ ! -f "$in" ]; then
  echo "report:preview: không tìm thấy tệp $in (tạo bằng: npx tthc report --out $in)" >&2
  exit 1
fi

ext="${in##*.}"
need=()
if [ "$ext" = docx ]; then
  # Writer is a package of its own; dpkg says whether it is there (a LibreOffice without dpkg is taken as whole).
  if ! command -v soffice >/dev/null 2>&1 || { command -v dpkg >/dev/null 2>&1 && ! dpkg -s libreoffice-writer >/dev/null 2>&1; }; then
    need+=(libreoffice-writer)
  fi
else
  command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc)
fi
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi 'Liberation Serif' || need+=(fonts-liberation2)
# Carlito has the widths of Calibri, the default font Excel measures column widths in.
fc-list 2>/dev/null | grep -qi Carlito || need+=(fonts-crosextra-carlito)
if [ ${#need[@]} -gt 0 ]; then
  echo "report:preview: cài đặt ${need[*]} …" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

mkdir -p "$outdir"
name="$(basename "$in" ".$ext")"
# A private LibreOffice profile: works next to an open LibreOffice and on a machine without a home folder.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
# Vietnamese locale, so that numbers show as a Vietnamese Excel shows them: 13.358 and 97,9%.
mkdir -p "$profile/user"
cat > "$profile/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>vi-VN</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>vi-VN</value></prop></item>
</oor:items>
XCU
soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$outdir" "$in" >/dev/null
if [ "$ext" = docx ]; then
  # The Word report's pages beside the workbook's of the same name.
  mv "$outdir/$name.pdf" "$outdir/$name-word.pdf"
  name="$name-word"
fi
rm -f "$outdir/$name"-*.png
pdftoppm -png -r "${PREVIEW_DPI:-80}" "$outdir/$name.pdf" "$outdir/$name"
echo "$outdir/$name.pdf"
ls -1 "$outdir/$name"-*.png
