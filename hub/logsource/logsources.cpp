#include "logsources.h"

#include "logsourcelog.h"
#include "protocol.h"
#include "topic.h"

#include <QFileInfo>
#include <QJsonObject>
#include <QSysInfo>

namespace opsdeck::logsource {

LogFileSpec LogFileSpec::parse(const QString &text)
{
    const qsizetype eq = text.lastIndexOf(u'=');
    if (eq > 0 && eq + 1 < text.size())
        return LogFileSpec {text.left(eq), text.mid(eq + 1)};
    return LogFileSpec {text, QString()};
}

QString LogFileSpec::sourceName() const
{
    if (!name.isEmpty())
        return name;
    const QString base = QFileInfo(path).completeBaseName();
    return base.isEmpty() ? QFileInfo(path).fileName() : base;
}

QString protocolLevel(logs::LogLevel level)
{
    return level == logs::LogLevel::Unknown ? QStringLiteral("info") : logs::levelName(level);
}

void publishLogEntry(hub::TopicSet &topics, const QString &source, const QString &host, const QString &stream,
    const QString &level, const QString &message, qint64 timeMs)
{
    // The same shape as AgentRegistry::publishLog, which has no `host` for a source that is not
    // a registered agent.
    QJsonObject entry {{QStringLiteral("type"), QStringLiteral("log")},
        {QStringLiteral("timestamp"), protocol::isoTime(timeMs)}, {QStringLiteral("stream"), stream},
        {QStringLiteral("level"), level}, {QStringLiteral("source"), source}, {QStringLiteral("host"), host},
        {QStringLiteral("message"), message}};
    topics.topic(protocol::Topic::Logs).publish(std::move(entry), source, level, stream, message);
}

LogSources::LogSources(hub::TopicSet &topics, QObject *parent)
    : QObject(parent)
    , m_topics(topics)
    , m_host(QSysInfo::machineHostName())
{ }

LogSources::~LogSources()
{
    stop();
}

void LogSources::addFile(const LogFileSpec &spec, LogFileTailerOptions options)
{
    options.path = QFileInfo(spec.path).absoluteFilePath();
    auto tailer = std::make_unique<LogFileTailer>(options);
    const QString source = spec.sourceName();
    connect(
        tailer.get(), &LogFileTailer::entriesReady, this, [this, source](const QList<TailedEntry> &entries) {
            for (const TailedEntry &entry : entries)
                publishLogEntry(m_topics, source, m_host, QStringLiteral("file"), protocolLevel(entry.level),
                    entry.message, entry.timeMs);
        });
    qCInfo(lcLogSource) << "log file" << options.path << "published as source" << source;
    m_tailers.push_back(std::move(tailer));
}

void LogSources::start()
{
    for (const auto &tailer : m_tailers)
        tailer->start();
}

void LogSources::stop()
{
    for (const auto &tailer : m_tailers)
        tailer->stop();
}

} // namespace opsdeck::logsource
