#include "jsonlog.h"

#include "protocol.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace opsdeck::hub {

namespace {
QString levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return QStringLiteral("debug");
    case QtInfoMsg: return QStringLiteral("info");
    case QtWarningMsg: return QStringLiteral("warning");
    case QtCriticalMsg: return QStringLiteral("error");
    case QtFatalMsg: return QStringLiteral("fatal");
    }
    return QStringLiteral("info");
}

void jsonHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QByteArray line = formatJsonLogLine(type, context.category, message, QDateTime::currentMSecsSinceEpoch());
    // One write per line, so lines from several threads never interleave within a line.
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}
} // namespace

QByteArray formatJsonLogLine(QtMsgType type, const char *category, const QString &message, qint64 timeMs)
{
    const QJsonObject line{{QStringLiteral("ts"), protocol::isoTime(timeMs)},
                           {QStringLiteral("level"), levelName(type)},
                           {QStringLiteral("category"), QString::fromLatin1(category ? category : "default")},
                           {QStringLiteral("message"), message}};
    return QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
}

void installJsonLogHandler()
{
    qInstallMessageHandler(&jsonHandler);
}

} // namespace opsdeck::hub
