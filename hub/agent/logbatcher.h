#pragma once

// Collects an agent's log entries (command output lines, followed files) and hands them out as
// seed 001 messages: one `log` for a lone entry, else `batch` {logs, count} — flushed every
// 100 ms or at 100 entries, like the hub's own batches. While the agent is offline entries wait
// in a bounded buffer; when it overflows the oldest go, and the next flush starts with one
// `warn` entry that says how many were lost (never a silent hole).

#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <deque>

namespace opsdeck::agent {

struct LogBatcherOptions
{
    int maxEntries = 100;   // per message (the hub refuses more, §14)
    int intervalMs = 100;
    int maxBuffered = 5000; // kept while offline
};

class LogBatcher : public QObject
{
    Q_OBJECT
public:
    explicit LogBatcher(LogBatcherOptions options = {}, QObject *parent = nullptr);

    // A seed 001 log message: {type:"log", timestamp, stream, level?, message}.
    void add(QJsonObject entry);
    // Online: messages flow through ready(); offline: entries wait (bounded).
    void setOnline(bool online);
    bool isOnline() const { return m_online; }
    qsizetype buffered() const { return qsizetype(m_entries.size()); }
    qint64 droppedTotal() const { return m_droppedTotal; }
    // Sends everything buffered now (when online).
    void flush();

Q_SIGNALS:
    void ready(const QJsonObject &message);

private:
    LogBatcherOptions m_options;
    std::deque<QJsonObject> m_entries;
    QTimer m_timer;
    qint64 m_droppedPending = 0; // not yet reported
    qint64 m_droppedTotal = 0;
    bool m_online = false;
};

} // namespace opsdeck::agent
