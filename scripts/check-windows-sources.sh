#!/usr/bin/env bash
# Syntax-checks the Windows-only C++ sources on Linux, where no Windows Qt exists: the mingw-w64
# cross compiler (Windows' headers, _WIN32 defined) against this machine's Qt 6 headers, which
# then take their Windows branches (Q_OS_WIN, Q_CC_MINGW, QWinEventNotifier declared).
#   scripts/check-windows-sources.sh              check every Windows source (exit 1 on an error)
#   scripts/check-windows-sources.sh --self-test  also prove the check fails on broken copies
#   -v                                            print each compiler command
# Needs g++-mingw-w64-x86-64-posix (apt) and qt6-base-dev; exits 2 when they are missing.
#
# What passing means: every Win32 function, type, constant and Qt call in these files exists
# with the types used (as the mingw-w64 10 headers and Qt 6.4 declare them), templates
# instantiate, the moc output of their QObjects compiles, and the project's warnings
# (-Wall -Wextra -Wpedantic) are clean. What it does not mean: the code was never linked or
# run on Windows; the Linux Qt's feature configuration stands in for a Windows Qt's; MSVC
# (the usual Windows compiler) may warn or reject differently from GCC.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

cxx="${MINGW_CXX:-x86_64-w64-mingw32-g++-posix}"
qt="${QT_INCLUDE:-/usr/include/x86_64-linux-gnu/qt6}"
moc="${QT_MOC:-/usr/lib/qt6/libexec/moc}"
verbose=0
self_test=0
for arg in "$@"; do
  case "$arg" in
    -v) verbose=1 ;;
    --self-test) self_test=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "check-windows-sources: unknown argument: $arg" >&2; exit 2 ;;
  esac
done
if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "check-windows-sources: no $cxx — install it with: apt-get install g++-mingw-w64-x86-64-posix" >&2
  exit 2
fi
if [ ! -f "$qt/QtCore/qwineventnotifier.h" ] || [ ! -x "$moc" ]; then
  echo "check-windows-sources: no Qt 6 headers in $qt or no moc at $moc — install qt6-base-dev (or set QT_INCLUDE, QT_MOC)" >&2
  exit 2
fi

# The Windows sources and the include directories each needs. A file is here when CMake adds it
# only under WIN32, or when it has a Q_OS_WIN/_WIN32 branch (checked below, so none is missed).
units=(
  "hub/terminal/conptyprocess.cpp:hub/terminal"
  "hub/terminal/ptyprocess.cpp:hub/terminal"
  "hub/terminal/windowscommandline.cpp:hub/terminal"
  "hub/sources/windowshostprobe.cpp:hub/sources"
  "hub/sources/hostprobe.cpp:hub/sources"
)
# Headers with Q_OBJECT among them: their moc output is checked too.
moc_headers=(
  "hub/terminal/conptyprocess.h:hub/terminal"
)

# The project's own flags (cmake/OpsdeckDefaults.cmake) plus -Werror. Qt comes in as system
# headers: compiled for Windows, its dllimport declarations draw -Wattributes notes that say
# nothing about our code. No object file is made, so Qt's version tagging (an import of
# qt_version_tag from Qt6Core.dll) needs no QT_NO_VERSION_TAGGING. NTDDI_VERSION is left to the
# sources: the check must see what a real Windows build sees.
flags=(-std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Wno-missing-field-initializers -Werror
  -DQT_NO_KEYWORDS -DQT_USE_QSTRINGBUILDER '-DOPSDECK_VERSION="0.0.0"'
  -isystem "$qt" -isystem "$qt/QtCore")

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

compile() # file include-dir…
{
  local file="$1"
  shift
  local includes=()
  for dir in "$@"; do includes+=(-I "$root/$dir"); done
  if [ "$verbose" = 1 ]; then echo "+ $cxx ${flags[*]} ${includes[*]} $file" >&2; fi
  "$cxx" "${flags[@]}" "${includes[@]}" "$file"
}

# 1. The headers really take their Windows branches (a Linux branch would check nothing).
cat > "$work/platform.cpp" <<'EOF'
#include <QtGlobal>
#include <QWinEventNotifier>
#if !defined(Q_OS_WIN) || !defined(Q_CC_MINGW) || defined(Q_OS_UNIX) || !defined(_WIN32)
#error "Qt's headers did not take their Windows branch"
#endif
static_assert(sizeof(wchar_t) == 2, "not a Windows ABI");
static_assert(sizeof(QWinEventNotifier) > 0);
EOF

# Every file with a Windows branch must be in `units` (a header counts through its .cpp).
uncovered=0
while IFS= read -r file; do
  cpp="${file%.h}.cpp"
  covered=0
  for unit in "${units[@]}"; do
    if [ "${unit%%:*}" = "$file" ] || [ "${unit%%:*}" = "$cpp" ]; then covered=1; fi
  done
  if [ "$covered" = 0 ]; then
    echo "check-windows-sources: $file has a Windows branch but is not checked: add it to units in $0" >&2
    uncovered=1
  fi
done < <(git ls-files '*.cpp' '*.h' | xargs grep -lE 'Q_OS_WIN|_WIN32' || true)

failed=0
check() # label file include-dir…
{
  local label="$1"
  shift
  if compile "$@"; then
    echo "ok    $label"
  else
    echo "FAIL  $label"
    failed=1
  fi
}

check "Qt headers on their Windows branch" "$work/platform.cpp"
for unit in "${units[@]}"; do
  check "${unit%%:*}" "$root/${unit%%:*}" "${unit#*:}"
done
for entry in "${moc_headers[@]}"; do
  header="${entry%%:*}"
  generated="$work/moc_$(basename "${header%.h}").cpp"
  "$moc" -I "$qt" -I "$qt/QtCore" -f "$(basename "$header")" "$root/$header" -o "$generated"
  check "moc of $header" "$generated" "${entry#*:}"
done

# 2. --self-test: the check must fail on a misspelled Win32 function, a misspelled Win32 macro
# and a Qt call that does not exist — each in a copy of the ConPTY source, compiled with the
# same flags and include directories as the original.
if [ "$self_test" = 1 ]; then
  source_file=hub/terminal/conptyprocess.cpp
  mutations=(
    's/::ResizePseudoConsole(/::ResizePseudoConsol(/'
    's/PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE/PROC_THREAD_ATTRIBUTE_PSEUDO_CONSOLE/'
    's/m_exitNotifier->setEnabled(false)/m_exitNotifier->setDisabled(true)/'
  )
  for mutation in "${mutations[@]}"; do
    broken="$work/conptyprocess_broken.cpp"
    sed "$mutation" "$source_file" > "$broken"
    if cmp -s "$source_file" "$broken"; then
      echo "FAIL  self-test: '$mutation' changed nothing in $source_file (update the self-test)"
      failed=1
    elif compile "$broken" hub/terminal 2>/dev/null; then
      echo "FAIL  self-test: the check passed a copy broken by '$mutation'"
      failed=1
    else
      echo "ok    self-test: '$mutation' is caught"
    fi
  done
fi

if [ "$failed" = 1 ] || [ "$uncovered" = 1 ]; then
  echo "check-windows-sources: FAILED" >&2
  exit 1
fi
echo "check-windows-sources: all Windows sources pass (syntax and types only: never linked or run on Windows)"
