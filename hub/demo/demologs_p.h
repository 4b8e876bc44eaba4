#pragma once

// Shared vocabulary of the log generators (demologs.cpp, demoerrors.cpp); not part of the API.

#include "demorandom.h"

#include <QString>

namespace opsdeck::hub::demo::logs {

inline const QString kTrace = QStringLiteral("trace");
inline const QString kDebug = QStringLiteral("debug");
inline const QString kInfo = QStringLiteral("info");
inline const QString kWarn = QStringLiteral("warn");
inline const QString kError = QStringLiteral("error");
inline const QString kFatal = QStringLiteral("fatal");
inline const QString kOut = QStringLiteral("stdout");
inline const QString kErr = QStringLiteral("stderr");

inline QString num(double value, int decimals = 1)
{
    return QString::number(value, 'f', decimals);
}

// A client address inside the fleet's private network.
inline QString ip(Rng &rng)
{
    return QStringLiteral("10.%1.%2.%3").arg(rng.range(0, 4)).arg(rng.range(0, 255)).arg(rng.range(2, 254));
}

} // namespace opsdeck::hub::demo::logs
