#pragma once

// LogStats: per-level entry counts over a LogModel's stored history (for the level chips) and
// the arrival rate. Counting is incremental and coalesced on a short timer, so a flood of
// appends costs one pass over the new records per tick, not one update per batch.

#include "logmodel.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QVariantMap>
#include <QtQml/qqml.h>

#include <array>

namespace opsdeck::logs {

class LogStats : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(opsdeck::logs::LogModel *model READ model WRITE setModel NOTIFY modelChanged)
    // level name → entries of that level in the store ("" for entries without a level).
    Q_PROPERTY(QVariantMap levelCounts READ levelCounts NOTIFY updated)
    Q_PROPERTY(int gapCount READ gapCount NOTIFY updated)
    // Entries per second over the last second or so.
    Q_PROPERTY(double rate READ rate NOTIFY updated)

public:
    explicit LogStats(QObject *parent = nullptr);

    LogModel *model() const { return m_model; }
    void setModel(LogModel *model);
    QVariantMap levelCounts() const;
    int gapCount() const { return m_gaps; }
    double rate() const { return m_rate; }

    // Counts now instead of on the next tick (tests).
    Q_INVOKABLE void update();

Q_SIGNALS:
    void modelChanged();
    void updated();

private:
    void recount();
    void schedule();
    void sampleRate();

    QPointer<LogModel> m_model;
    QTimer m_timer;
    std::array<qint64, kLevelCount> m_counts{};
    int m_gaps = 0;
    uint64_t m_first = 0; // store range counted: [m_first, m_end)
    uint64_t m_end = 0;
    QTimer m_rateTimer;
    double m_rate = 0;
    uint64_t m_rateEnd = 0; // the store's end position at the last rate sample
    qint64 m_rateAtMs = 0;
};

} // namespace opsdeck::logs
