#pragma once

// The hub's own log sources: files on its host followed by LogFileTailers, each entry published
// into the `logs` topic (docs/protocol.md §4.3) with the file's configured name as `source`, this
// host as `host` and stream "file".

#include "logfiletailer.h"

#include <QList>
#include <QObject>
#include <QString>
#include <memory>
#include <vector>

namespace opsdeck::hub {
class TopicSet;
}

namespace opsdeck::logsource {

struct LogFileSpec
{
    QString path;
    QString name; // the entries' source; empty: the file's base name ("app" for /var/log/app.log)

    // "PATH" or "PATH=NAME" (the last '=' splits, so a path may contain '=' when a name is given).
    static LogFileSpec parse(const QString &text);
    QString sourceName() const;
};

// The `log` entry of docs/protocol.md §4.3, published into `topics`' logs topic.
void publishLogEntry(hub::TopicSet &topics, const QString &source, const QString &host, const QString &stream,
    const QString &level, const QString &message, qint64 timeMs);
// Protocol level name of a parsed level; a line without a level word is "info".
QString protocolLevel(logs::LogLevel level);

class LogSources : public QObject
{
    Q_OBJECT
public:
    explicit LogSources(hub::TopicSet &topics, QObject *parent = nullptr);
    ~LogSources() override;

    // Adds a file before start(); `options.path` is taken from `spec`.
    void addFile(const LogFileSpec &spec, LogFileTailerOptions options = {});
    void start();
    void stop();

    QString host() const { return m_host; }
    const std::vector<std::unique_ptr<LogFileTailer>> &tailers() const { return m_tailers; }

private:
    hub::TopicSet &m_topics;
    QString m_host;
    std::vector<std::unique_ptr<LogFileTailer>> m_tailers;
};

} // namespace opsdeck::logsource
