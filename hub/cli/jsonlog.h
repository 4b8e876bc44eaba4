#pragma once

// Structured log output for opsdeck-hub (`--log-format json`, docs/operations.md §2): one JSON
// object per line on stderr, for log shippers (journald, Loki, Elasticsearch) that would
// otherwise have to parse the text pattern.

#include <QByteArray>
#include <QString>
#include <QtGlobal>

namespace opsdeck::hub {

// {"ts":"2026-12-01T12:00:00.123Z","level":"warning","category":"opsdeck.hub.server","message":"…"}
// followed by a newline. `timeMs` is milliseconds since the Unix epoch (UTC).
QByteArray formatJsonLogLine(QtMsgType type, const char *category, const QString &message, qint64 timeMs);

// Routes every Qt log message of this process through formatJsonLogLine to stderr. Install it
// before anything that chains to the previous handler (SelfLog).
void installJsonLogHandler();

} // namespace opsdeck::hub
