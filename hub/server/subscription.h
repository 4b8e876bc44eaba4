#pragma once

// One client subscription: a cursor into a topic's ring plus a filter (docs/protocol.md §4).
// Live delivery, history replay, resume after pause and catching up after a slow socket are
// all the same operation — draining the entries after the cursor — so they cannot disagree.

#include "entryfilter.h"
#include "topic.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace opsdeck::hub {

class Subscription
{
public:
    using FrameSink = std::function<void(const QByteArray &frame)>;

    // `notify` is called after every publish on the topic.
    Subscription(QString id, Topic &topic, protocol::EntryFilter filter, bool batch, std::function<void()> notify);
    ~Subscription();
    Subscription(const Subscription &) = delete;
    Subscription &operator=(const Subscription &) = delete;

    const QString &id() const { return m_id; }
    Topic &topic() { return m_topic; }
    bool batched() const { return m_batch; }
    bool paused() const { return m_paused; }
    void setPaused(bool paused) { m_paused = paused; }
    const protocol::EntryFilter &filter() const { return m_filter; }
    void setFilter(protocol::EntryFilter filter) { m_filter = std::move(filter); }

    quint64 cursor() const { return m_cursor; }
    void setCursor(quint64 seq) { m_cursor = seq; }
    bool hasPending() const { return m_topic.headSeq() > m_cursor; }
    quint64 pendingUpperBound() const { return m_topic.headSeq() - m_cursor; }

    // Moves the cursor back so that the newest `count` matching entries follow it.
    void rewindForHistory(qsizetype count);
    // Matching retained entries after the cursor.
    qsizetype countMatchingPending() const;

    // Sends a gap marker first if the cursor fell out of retention, then up to `maxFrames`
    // frames of entries after the cursor. Returns true while entries remain.
    bool drain(int batchMax, int maxFrames, const FrameSink &send);

    bool matches(const TopicEntry &entry) const;

private:
    QByteArray withSub(const QByteArray &json) const;
    QByteArray batchFrame(const QList<const TopicEntry *> &entries) const;
    QByteArray gapFrame(quint64 fromSeq, quint64 toSeq) const;
    bool drainLatestPerSource(const FrameSink &send);

    QString m_id;
    Topic &m_topic;
    protocol::EntryFilter m_filter;
    bool m_batch;
    bool m_paused = false;
    quint64 m_cursor = 0;
    int m_listenerToken = 0;
};

} // namespace opsdeck::hub
