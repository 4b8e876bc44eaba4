#pragma once

// How a Windows program receives what PtyProcess::StartOptions describes: CreateProcessW takes
// one command line (each program splits it again, nearly always by the C runtime's rules) and
// one environment block. Plain string work, compiled on every platform so that the Linux tests
// cover it; ConPtyProcess (Windows only) is its user.

#include <QString>
#include <QStringList>

namespace opsdeck::terminal::windows {

// One argument as CommandLineToArgvW and the C runtime split it again: quoted when it is empty
// or has blanks or quotes; backslashes are literal except before a quote.
QString quoteArgument(const QString &argument);

// The program in quotes (argv[0] is split without backslash escapes; the quotes keep
// CreateProcessW from trying "C:\Program" for "C:\Program Files\…"), then the quoted arguments.
QString commandLine(const QString &program, const QStringList &arguments);

// A CREATE_UNICODE_ENVIRONMENT block: KEY=VALUE\0…\0, sorted by name without regard to case as
// CreateProcessW documents ("=C:"-style names first). Entries that are empty or hold a NUL are
// left out: they would end the block early.
QString environmentBlock(QStringList environment);

} // namespace opsdeck::terminal::windows
