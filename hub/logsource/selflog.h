#pragma once

// --self-log: the hub's own qDebug/qInfo/qWarning/qCritical output, besides going to stderr as
// before, is published into the `logs` topic under source "opsdeck-hub" (stream "stderr").
//
// The message handler only queues (any thread, under a mutex); a queued call publishes on the
// hub's thread in a later event-loop turn. Publishing inside the handler could re-enter a topic
// that is in the middle of a publish. Messages logged *while* publishing are written to stderr
// but not queued — that is what keeps a debug line about a publish from publishing itself forever.

#include <QObject>
#include <QString>
#include <QtGlobal>
#include <deque>
#include <mutex>

namespace opsdeck::hub {
class TopicSet;
}

namespace opsdeck::logsource {

class SelfLog : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *kSource = "opsdeck-hub";
    static constexpr std::size_t kMaxQueued = 1000;

    // Installs the message handler (at most one SelfLog at a time). Messages logged before
    // attach() are kept (up to kMaxQueued) and published once there is a topic set.
    SelfLog();
    ~SelfLog() override;

    void attach(hub::TopicSet *topics, QString host);
    // Publishes what is queued now (also done on its own in a later event-loop turn).
    void flush();

    qint64 dropped() const;

private:
    struct Pending
    {
        qint64 timeMs;
        QString level;
        QString message;
    };

    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &message);
    void enqueue(QtMsgType type, const QMessageLogContext &context, const QString &message);

    mutable std::mutex m_mutex;
    std::deque<Pending> m_queue;
    qint64 m_dropped = 0;
    bool m_flushPosted = false;
    hub::TopicSet *m_topics = nullptr;
    QString m_host;
    QtMessageHandler m_previous = nullptr;
};

} // namespace opsdeck::logsource
